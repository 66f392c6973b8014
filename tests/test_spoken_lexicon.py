"""Pronunciation lexicons: TOML and PLS entries, the order they apply in, bad files, and
the same entry heard in live reading and in an export whose timing keeps the original text."""

from __future__ import annotations

import json
import re
import time

import pytest
from click.testing import CliRunner

import reader
from reader.cli import main
from reader.errors import LexiconError
from reader.spoken import speaker, spoken_text
from reader.spoken.lexicon import load_lexicon
from tests.readpty import SEED, Session


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path, monkeypatch):
    # platformdirs honours XDG_CONFIG_HOME: keep the developer's own lexicons out.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


ENTRIES = """
[[entry]]
match = "Nguyen"
say = "win"

[[entry]]
match = "WHO"
say = "the World Health Organization"
case_sensitive = true

[[entry]]
match = "St\\\\.? ?Kitts"
regex = true
say = "Saint Kitts"

[[entry]]
match = "™"
whole_word = false
skip = true

[[entry]]
match = "colour"
whole_word = false
say = "color"

[[entry]]
match = "Siobhan"
phonemes = "S@v'O:n"
"""


def test_toml_literal_regex_whole_word_case_skip_and_phonemes(tmp_path):
    lex = write(tmp_path, "news.toml", ENTRIES)
    say = speaker("en", (lex,))
    assert say("Mr. Nguyen and mr nguyen met").text == "Mr. win and mr win met"
    assert say("Nguyenville is a town").text == "Nguyenville is a town"  # whole word only
    assert say("The WHO said who knew").text == (
        "The the World Health Organization said who knew"
    )  # case-sensitive: "who" is left
    assert say("Flights to St. Kitts and StKitts").text == (
        "Flights to Saint Kitts and Saint Kitts"
    )
    assert say("Acme™ sells watercolours").text == "Acme sells watercolors"
    assert say("Siobhan spoke").text == "[[S@v'O:n]] spoke"


def test_lexicon_entries_beat_the_rules_and_later_files_win(tmp_path):
    first = write(
        tmp_path,
        "a.toml",
        '[[entry]]\nmatch = "St."\nwhole_word = false\nsay = "Street"\n'
        '[[entry]]\nmatch = "Kyiv"\nsay = "keev"\n',
    )
    second = write(tmp_path, "b.toml", '[[entry]]\nmatch = "Kyiv"\nsay = "kee-iv"\n')
    assert spoken_text("St. Louis", lexicons=(first,)) == "Street Louis"  # not Saint
    assert spoken_text("Kyiv", lexicons=(first, second)) == "kee-iv"
    assert spoken_text("Kyiv", lexicons=(second, first)) == "keev"
    # Text no entry took still goes through the rules.
    assert spoken_text("Kyiv got $5bn", lexicons=(first,)) == "keev got 5 billion dollars"


PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>Zelenskyy</grapheme><alias>zeh-LEN-skee</alias></lexeme>
  <lexeme><grapheme>Qatar</grapheme><grapheme>QATAR</grapheme><phoneme>ˈkʌtɑːɹ</phoneme></lexeme>
</lexicon>
"""


def test_pls_alias_and_ipa_phoneme(tmp_path):
    lex = write(tmp_path, "names.pls", PLS)
    say = speaker("en", (lex,))
    assert say("Zelenskyy met the emir of Qatar.").text == (
        "zeh-LEN-skee met the emir of [[k'VtA:r]]."
    )
    assert say("qatar").text == "qatar"  # PLS graphemes match case-sensitively


BAD = {
    "broken.toml": ('[[entry]]\nmatch = "(unclosed"\nregex = true\nsay = "x"\n', "entry 1"),
    "nested.toml": ('[[entry]]\nmatch = "(a+)+b"\nregex = true\nsay = "x"\n', "exponential"),
    "alternation.toml": ('[[entry]]\nmatch = "(a|aa)*b"\nregex = true\nsay = "x"\n', "entry 1"),
    "backref.toml": ('[[entry]]\nmatch = "(a)\\\\1"\nregex = true\nsay = "x"\n', "backreference"),
    "unknown.toml": ('[[entry]]\nmatch = "a"\nsay = "b"\nspeed = 2\n', "'speed'"),
    "two.toml": ('[[entry]]\nmatch = "a"\nsay = "b"\nskip = true\n', "exactly one"),
    "top.toml": ('[[entries]]\nmatch = "a"\n', "'entries'"),
    "notxml.pls": ("this is not <xml", "not well-formed XML"),
    "entity.pls": (
        '<?xml version="1.0"?>\n<!DOCTYPE lexicon [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<lexicon xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">'
        "<lexeme><grapheme>a</grapheme><alias>&x;</alias></lexeme></lexicon>",
        "DTD or an entity",
    ),
    "ipa.pls": (
        '<lexicon xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa">'
        "<lexeme><grapheme>Xhosa</grapheme><phoneme>ǁʰosa</phoneme></lexeme></lexicon>",
        "'Xhosa'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_lexicon_is_one_error_line_naming_file_and_entry(tmp_path, name):
    text, detail = BAD[name]
    path = write(tmp_path, name, text)
    started = time.perf_counter()
    r = CliRunner().invoke(main, ["sentences", "--plain", "-", "--lexicon", path], input="aaaa")
    assert time.perf_counter() - started < 5
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: lexicon "), r.output
    assert name in lines[0] and detail in lines[0], lines[0]
    with pytest.raises(LexiconError):
        load_lexicon(path)


def test_a_refused_pattern_could_really_hang_and_an_allowed_one_cannot(tmp_path):
    # The refused shape takes exponential time on a near miss; the check spares us it.
    ok = write(tmp_path, "ok.toml", '[[entry]]\nmatch = "a+b"\nregex = true\nsay = "x"\n')
    say = speaker("en", (ok,))
    started = time.perf_counter()
    say("a" * 5000 + "c")
    assert time.perf_counter() - started < 1.0


def test_sentences_spoken_prints_what_is_said(tmp_path):
    text = "Sen. Warren spent $5.2bn.[3] Kyiv agreed."
    lex = write(tmp_path, "k.toml", '[[entry]]\nmatch = "Kyiv"\nsay = "keev"\n')
    r = CliRunner().invoke(main, ["sentences", "--plain", "--spoken", "-", "--lexicon", lex],
                           input=text)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["Senator Warren spent 5.2 billion dollars.", "keev agreed."]
    assert reader.spoken_text("Sen. Warren spent $5.2bn.[3]") == (
        "Senator Warren spent 5.2 billion dollars."
    )


def test_skipped_citations_are_announced_once_per_paragraph_when_asked(tmp_path):
    from reader.model import Article, Block
    from reader.segment import segment_article
    from reader.spoken import sentence_words
    from reader.spoken.settings import SpokenSettings

    article = Article((Block("paragraph", "Deaths fell.[3][4] Births rose.[5] Then peace."),))
    sentences = segment_article(article)
    quiet = [sentence_words(article, s, SpokenSettings()) for s in sentences]
    told = [sentence_words(article, s, SpokenSettings(announce_skipped=True)) for s in sentences]
    assert quiet == ["Deaths fell.", "Births rose.", "Then peace."]
    assert told == ["Deaths fell.", "Births rose.", "Then peace. 3 citations skipped."]
    profile = write(tmp_path, "v.toml", '[spoken]\nannounce_skipped = true\n')
    assert reader.load_profile(profile).spoken.announce_skipped


# -- the same entry in live reading and in an export -------------------------------------

MALI = '[[entry]]\nmatch = "Mali"\nsay = "the Republic of Mali"\n'
RATE = 400


def test_live_reading_says_the_lexicon_entry_and_logs_the_original_text(tmp_path):
    lex = write(tmp_path, "mali.toml", MALI)
    article = reader.parse_source(str(SEED))
    headline = article.blocks[0].text
    assert headline.endswith("Mali")

    def first_play(*extra):
        s = Session(tmp_path, "--engine", "silent", "--audio", "null", "--rate", str(RATE),
                    "--from-start", *extra)  # fmt: skip
        play = s.wait("play")
        s.child.send("q")
        assert s.finish() == 0
        return play

    plain, spoken = first_play(), first_play("--lexicon", lex)
    assert plain["text"] == spoken["text"] == headline  # the log keeps the original text
    assert "said" not in plain
    assert spoken["said"] == headline.replace("Mali", "the Republic of Mali")
    words = len(headline.split())
    rate = reader.load_profile().with_rate(RATE).settings_for("headline").rate
    # The silent engine's clip lasts words x 60 / rate: it heard three more words.
    assert plain["duration"] == pytest.approx(words * 60 / rate, abs=0.01)
    assert spoken["duration"] == pytest.approx((words + 3) * 60 / rate, abs=0.01)


def test_export_timing_cues_keep_the_original_text(tmp_path):
    lex = write(tmp_path, "mali.toml", MALI)

    def export(name, *extra):
        out = tmp_path / name
        r = CliRunner().invoke(main, ["export", str(SEED), "-o", str(out), "--engine", "silent",
                                      "--timing", "json", "-q", "-j", "1", *extra])  # fmt: skip
        assert r.exit_code == 0, r.output
        return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["cues"]

    plain, spoken = export("plain.wav"), export("spoken.wav", "--lexicon", lex)
    assert [c["text"] for c in plain] == [c["text"] for c in spoken]
    assert not any("Republic" in c["text"] for c in spoken)

    def length(c):
        return c["end"] - c["start"]

    said_more = [length(b) - length(a) > 0.1 for a, b in zip(plain, spoken, strict=True)]
    has_mali = [re.search(r"\bMali\b", c["text"]) is not None for c in plain]
    assert any(has_mali) and said_more == has_mali  # only those sentences were longer


def test_espeak_ng_speaks_a_phoneme_entry_as_phonemes(tmp_path):
    from reader.speech.engines import engine_problem, get_engine
    from reader.speech.engines.base import VoiceSettings

    if engine_problem("pyttsx3"):
        pytest.skip(f"pyttsx3 cannot speak here: {engine_problem('pyttsx3')}")
    lex = write(tmp_path, "p.toml", '[[entry]]\nmatch = "Siobhan"\nphonemes = "S@v\'O:n"\n')
    said = spoken_text("Siobhan spoke", lexicons=(lex,))
    assert said == "[[S@v'O:n]] spoke"
    engine = get_engine("pyttsx3")
    try:
        settings = VoiceSettings(voice="gmw/en-us", rate=175)
        as_phonemes = engine.synthesize(said, settings).duration
        respelt = engine.synthesize("shuh-vawn spoke", settings).duration
        spelled = engine.synthesize("S at v apostrophe O colon n spoke", settings).duration
    finally:
        engine.close()
    # Read as phonemes it is two short words, not the symbols one by one.
    assert abs(as_phonemes - respelt) < 0.35 * respelt
    assert as_phonemes < 0.6 * spelled


def test_profile_then_user_config_then_command_line(tmp_path, monkeypatch):
    config = tmp_path / "config"
    (config / "reader" / "lexicons").mkdir(parents=True)
    user = write(config / "reader" / "lexicons", "mine.toml",
                 '[[entry]]\nmatch = "Kyiv"\nsay = "keev"\n'
                 '[[entry]]\nmatch = "Odesa"\nsay = "oh-dessa"\n')  # fmt: skip
    write(tmp_path, "names.toml", '[[entry]]\nmatch = "Kyiv"\nsay = "kee-yiv"\n'
          '[[entry]]\nmatch = "Lviv"\nsay = "luh-veev"\n')  # fmt: skip
    profile_path = write(tmp_path, "me.toml", '[spoken]\nlexicons = ["names.toml"]\n')
    cli = write(tmp_path, "cli.toml", '[[entry]]\nmatch = "Odesa"\nsay = "oh-DESS-ah"\n')

    profile = reader.load_profile(profile_path)
    assert profile.spoken.lexicons == (str(tmp_path / "names.toml"), user)
    say = speaker("en", profile.spoken.lexicons)
    assert say("Kyiv, Lviv, Odesa").text == "keev, luh-veev, oh-dessa"  # the user's wins
    with_cli = profile.spoken.with_lexicons([cli])
    assert speaker("en", with_cli.lexicons)("Odesa").text == "oh-DESS-ah"  # --lexicon wins


def test_a_profile_spoken_table_is_checked(tmp_path):
    from reader.errors import VoiceError

    bad = write(tmp_path, "v.toml", '[spoken]\nlexicon = "names.toml"\n')
    with pytest.raises(VoiceError, match=r"v\.toml: spoken\.lexicon: unknown key"):
        reader.load_profile(bad)
    missing = write(tmp_path, "w.toml", '[spoken]\nlexicons = ["none.toml"]\n')
    with pytest.raises(LexiconError, match="none.toml: cannot read it"):
        reader.load_profile(missing)


def test_source_text_cannot_pass_itself_off_as_phonemes():
    assert "[[" not in spoken_text("He typed [[h@'loU]] into the box.")


def test_a_daisy_book_says_the_entry_and_shows_the_original_text(tmp_path):
    from reader.daisy.validate import validate_daisy

    lex = write(tmp_path, "mali.toml", MALI)

    def book(name, *extra):
        out = tmp_path / name
        r = CliRunner().invoke(main, ["export", str(SEED), "--format", "daisy", "-o", str(out),
                                      "--engine", "silent", "-q", "-j", "1", *extra])  # fmt: skip
        assert r.exit_code == 0, r.output
        report = validate_daisy(out)
        assert report.valid, report.problems
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("*.htm*")))
        return report.total_time, text

    plain_time, plain_text = book("plain")
    spoken_time, spoken_text_ = book("spoken", "--lexicon", lex)
    assert "Republic" not in spoken_text_ and "Mali" in spoken_text_
    assert spoken_time > plain_time + 1.0  # every "Mali" took three more words
