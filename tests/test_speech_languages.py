"""Each language read by its own voice: profiles map languages to voices, the listener
and the exporter use them, and the listener's own words stay English."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reader.errors import VoiceError
from reader.model import Article, Block
from reader.speech.profiles import load_profile, parse_profile
from reader.speech.render import open_engine

READER = str(Path(sys.executable).parent / "reader")

EN = (
    "The mayor said the city had waited a long time for this decision. Many commuters "
    "would benefit from the new line, because the journey would be half an hour shorter."
)
PAGES = {
    "de": ("Die Stadt plant einen neuen Bahnhof", [
        "Der Bürgermeister sagte, die Stadt habe lange auf diese Entscheidung gewartet. "
        "Viele Pendler würden von der neuen Verbindung profitieren.",
        "Kritiker bemängeln dagegen die hohen Kosten und den Verlust von Grünflächen.",
    ]),
    "fr": ("La ville prévoit une nouvelle gare", [
        "Le maire a déclaré que la ville attendait cette décision depuis longtemps. "
        "De nombreux voyageurs profiteront de la nouvelle ligne.",
        "Les critiques soulignent plutôt le coût élevé et la perte d'espaces verts.",
    ]),
    "es": ("La ciudad planea una nueva estación", [
        "El alcalde dijo que la ciudad había esperado mucho tiempo esta decisión. "
        "Muchos viajeros se beneficiarán de la nueva línea.",
        "Los críticos señalan en cambio el alto costo y la pérdida de zonas verdes.",
    ]),
}  # fmt: skip
VOICES = {"de": "gmw/de", "fr": "roa/fr", "es": "roa/es"}
FR_QUOTE = (
    "Nous ne savons pas encore si la ville pourra payer ce projet dans les temps prévus. "
    "Le maire a promis une réponse avant la fin du mois."
)


def page(lang: str, headline: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang}"><head><title>{headline}</title></head><body><article>'
        f"<h1>{headline}</h1>{body}</article></body></html>"
    )


def test_voice_tables_per_language_are_validated():
    data = {"engine": "pyttsx3", "voice": {"pyttsx3": ["gmw/en-us"], "de": {"pyttsx3": ["gmw/de"]}}}
    p = parse_profile(data, "t", "t.toml")
    assert dict(p.languages)["de"] == (("pyttsx3", ("gmw/de",)),)
    assert p.voice_for("de-AT") == "gmw/de"  # no catalog yet: the profile's word
    with pytest.raises(VoiceError, match=r"voice\.12: must be a language code"):
        parse_profile({"voice": {"12": {"pyttsx3": ["x"]}}}, "t", "t.toml")


@pytest.mark.speech
def test_every_language_espeak_knows_has_its_voice_without_configuration():
    engine, profile = open_engine(load_profile())
    engine.close()
    assert profile.settings_for("paragraph", "de").voice == "gmw/de"
    assert profile.settings_for("paragraph", "fr-FR").voice == "roa/fr"
    assert profile.settings_for("paragraph", "pt-BR").voice == "roa/pt-br"
    assert profile.settings_for("paragraph", "zh").voice == "sit/cmn"
    # Captions keep their variant; English keeps the profile's voices, unchanged.
    assert profile.settings_for("caption", "es").voice == "roa/es+f3"
    assert profile.settings_for("caption", "en-GB") == profile.settings_for("caption")
    assert profile.settings_for("paragraph", None).voice == "gmw/en-us"
    languages = {x.split("-")[0] for v in profile.catalog for x in v.languages}
    assert sum(profile.voice_for(c) is not None for c in languages) >= 100


@pytest.mark.speech
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_export_speaks_the_article_in_its_language_voice(tmp_path, lang):
    from importlib.resources import files

    from reader.export import ExportOptions, export_source
    from reader.pipeline import prepare
    from reader.speech.render import sentence_settings

    src = tmp_path / f"{lang}.html"
    src.write_text(page("en", *PAGES[lang]), encoding="utf-8")  # declared wrong: the text wins
    prepared = prepare(str(src))
    engine, profile = open_engine(load_profile())
    engine.close()
    assert sentence_settings(prepared.article, prepared.sentences[1], profile).voice == VOICES[lang]
    # The same profile, but with the English voice for this language ([voice.LANG]).
    default = files("reader._voices").joinpath("default.toml").read_text(encoding="utf-8")
    english = tmp_path / "english.toml"
    english.write_text(f'{default}\n[voice.{lang}]\npyttsx3 = ["gmw/en-us"]\n', encoding="utf-8")
    cues = {}
    for name, voice in (("own", None), ("english", str(english))):
        out = tmp_path / f"{name}.wav"
        result = export_source(str(src), out, ExportOptions(voice=voice, timing="json"))
        timing = json.loads(result.timing_path.read_text(encoding="utf-8"))
        assert timing["language"] == lang
        cues[name] = [c["end"] - c["start"] for c in timing["cues"]]
    # The headline and body sentences last as long as each voice takes to say them.
    assert len(cues["own"]) == len(cues["english"]) >= 4
    assert sum(abs(a - b) > 0.1 for a, b in zip(cues["own"], cues["english"], strict=True)) >= 3


@pytest.mark.audio
@pytest.mark.slow
def test_read_switches_voice_for_a_french_quotation_and_back(tmp_path):
    from tests.readpty import Session

    src = tmp_path / "mixed.html"
    after = "Critics point instead to the high cost. The council will vote on the plan next month."
    src.write_text(page("en", "The mayor visits Paris", [EN, FR_QUOTE, after]), encoding="utf-8")
    s = Session(tmp_path, "--audio", "null", "--rate", "400", "--from-start", source=src)
    s.wait("start")
    seen = []
    for _ in range(12):
        e = s.wait("play")
        seen.append((e["block"], e["language"], e["voice"]))
        if e["block"] == 3:
            break
        s.child.send("n")
    s.child.send("q")
    s.wait("quit")
    assert s.finish() == 0
    voices = {b: (lang, v) for b, lang, v in seen}
    assert voices[1] == ("en", "gmw/en-us")
    assert voices[2] == ("fr", "roa/fr")
    assert voices[3] == ("en", "gmw/en-us")
    assert not [e for e in s.events() if e["event"] == "warning"]


@pytest.mark.audio
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_read_speaks_each_language_with_its_voice(tmp_path, lang):
    from tests.readpty import Session

    src = tmp_path / f"{lang}.html"
    src.write_text(page(lang, *PAGES[lang]), encoding="utf-8")
    s = Session(tmp_path, "--audio", "null", "--rate", "400", "--from-start", source=src)
    s.wait("start")
    first = s.wait("play")
    assert (first["language"], first["voice"]) == (lang, VOICES[lang])
    said = s.press("w", "say")  # the listener's own words: English, by the English voice
    assert said["text"].startswith("Headline") and said["voice"] == "gmw/en-us"
    s.child.send("q")
    s.wait("quit")
    assert s.finish() == 0


@pytest.mark.audio
@pytest.mark.slow
def test_a_language_no_voice_speaks_is_said_once_and_read_by_the_default_voice(tmp_path):
    from tests.readpty import Session

    src = tmp_path / "de.html"
    src.write_text(page("de", *PAGES["de"]), encoding="utf-8")
    s = Session(tmp_path, "--engine", "silent", "--audio", "null", "--rate", "400",
                "--from-start", source=src)  # fmt: skip
    s.wait("start")
    warning = s.wait("warning")
    assert warning["text"] == "No installed voice speaks German; it is read by the default voice."
    assert s.wait("say")["text"].startswith(warning["text"])
    first = s.wait("play")
    assert first["sentence"] == 0 and first["language"] == "de" and first["voice"] is None
    s.child.send("q")
    s.wait("quit")
    assert s.finish() == 0
    said = [e["text"] for e in s.events() if e["event"] == "say"]
    assert sum("No installed voice" in t for t in said) == 1


def test_listener_messages_stay_english():
    from reader.listen.speech import unvoiced_notice

    article = Article((Block("paragraph", "Guten Tag."),), language="de")
    profile = load_profile()  # not resolved: no catalog, so no voice speaks German
    assert unvoiced_notice(article, profile) == (
        "No installed voice speaks German; it is read by the default voice."
    )
    assert unvoiced_notice(Article((Block("paragraph", "Hi."),), language="en"), profile) is None


@pytest.mark.slow
def test_doctor_says_which_voice_reads_a_language():
    import subprocess

    out = subprocess.run([READER, "doctor", "--lang", "de", "--lang", "fr", "--lang", "es"],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert "Language de (German): voice gmw/de." in out.stdout
    assert "Language fr (French): voice roa/fr." in out.stdout
    assert "Language es (Spanish): voice roa/es." in out.stdout
    bad = subprocess.run([READER, "doctor", "--lang", "qq"], capture_output=True, text=True)
    assert bad.returncode != 0 and bad.stderr.startswith("Error: unknown language code 'qq'")
    assert bad.stdout == ""


def test_english_spoken_rules_stay_out_of_other_languages():
    from reader.segment import segment_article
    from reader.spoken import sentence_words
    from reader.spoken.settings import SpokenSettings

    article = Article(
        (
            Block("paragraph", "He arrived on Oct. 3 and paid $5.2bn."),
            Block("quote", "Er kam am 3. Oktober an und zahlte 5,2 Mrd. $.", language="de"),
        ),
        language="en",
    )
    said = [sentence_words(article, s, SpokenSettings()) for s in segment_article(article)]
    assert said == [
        "He arrived on October 3rd and paid 5.2 billion dollars.",
        "Er kam am 3. Oktober an und zahlte 5,2 Mrd. $.",  # no "the 3rd of October"
    ]


def test_a_forced_language_is_kept_for_the_whole_page(seed_html):
    # Key A prepares the page again (all of its text): --lang must still hold there.
    from reader.pipeline import prepare

    first = prepare(str(seed_html), language="fr")
    again = prepare(first.source, whole_page=True, language=first.language)
    assert first.language == "fr" and again.article.language == "fr"
    assert not any(b.language for b in again.article.blocks)
