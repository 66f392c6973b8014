"""DAISY 2.02 talking books: made from articles, and checked.

    book.py      ``write_daisy`` / ``export_daisy``: one book of many articles
    files.py     the NCC, SMIL and master files, with their ids and links
    audio.py     the book's MP3 audio and its measured length
    validate.py  ``validate_daisy``: metadata, NCC links, text ids, clips and timing

The book reuses the exporter's one render and timeline (``reader.export.timeline``)
and its all-or-nothing output (``reader.export.safefile``).
"""
