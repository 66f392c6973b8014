"""Speech: text to audio.

    engines/     the engine contract (``engines.base.Engine``) and the built-in engines,
                 found by the ``reader.engines`` entry-point group
    profiles.py  voice profiles (``voices/*.toml``): engine, voice, rate, pitch per role
    render.py    sentences to audio: ahead of a listener, or all of them for an export
    workers.py   worker processes, and the one choice between fork and spawn
"""
