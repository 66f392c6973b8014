"""Sentences split by each language's rules (reader sentences --lang)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.model import Article, Block
from reader.segment import segment_article, split_sentences


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        ("de", "Das kostet ca. 10 Mio. Euro pro Jahr. Dr. Müller kam am 3. Oktober 2019 an.",
         ["Das kostet ca. 10 Mio. Euro pro Jahr.", "Dr. Müller kam am 3. Oktober 2019 an."]),
        ("de", "„Ich habe keine Zeit“, sagte sie. „Keine Lust.“ Wir haben 1.000.000 Euro.",
         ["„Ich habe keine Zeit“, sagte sie.", "„Keine Lust.“", "Wir haben 1.000.000 Euro."]),
        ("de", "»Wirklich?« »Ja, absolut!« Das kostet 3,50 Euro.",
         ["»Wirklich?«", "»Ja, absolut!«", "Das kostet 3,50 Euro."]),
        ("fr", "Il a dit : « Bonjour ! » Puis il est parti.",
         ["Il a dit : « Bonjour ! »", "Puis il est parti."]),
        ("fr", "M. Dupont est arrivé. Il pleuvait.", ["M. Dupont est arrivé.", "Il pleuvait."]),
        ("es", "¡Hola Srta. Ledesma! ¿Cómo está hoy? Espero que bien.",
         ["¡Hola Srta. Ledesma!", "¿Cómo está hoy?", "Espero que bien."]),
        ("it", "Sono l'Ing. Mengozzi. È presente l'Avv. Cassioni?",
         ["Sono l'Ing. Mengozzi.", "È presente l'Avv. Cassioni?"]),
        ("ru", "Он написал «Войну и мир». Кроме того, он жил в Москве.",
         ["Он написал «Войну и мир».", "Кроме того, он жил в Москве."]),
        ("ja", "これは本です。それはペンです。", ["これは本です。", "それはペンです。"]),
        ("zh", "我们去看《摔跤吧！爸爸》好吗？好！", ["我们去看《摔跤吧！爸爸》好吗？", "好！"]),
        ("hi", "यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
        ("ar", "هل أنت بخير؟ نعم أنا بخير.", ["هل أنت بخير؟", "نعم أنا بخير."]),
        ("my", "ကျွန်တော် စာဖတ်တယ်။ သူ ရေးတယ်။", ["ကျွန်တော် စာဖတ်တယ်။", "သူ ရေးတယ်။"]),
        ("am", "ሰላም ነው። እንዴት ነህ፧", ["ሰላም ነው።", "እንዴት ነህ፧"]),
        ("hy", "Այսօր երկուշաբթի է: Ես գնում եմ աշխատանքի:",
         ["Այսօր երկուշաբթի է:", "Ես գնում եմ աշխատանքի:"]),
    ],
)  # fmt: skip
def test_language_rules(lang, text, expected):
    assert split_sentences(text, lang) == expected


def test_english_rules_are_the_default_and_unchanged():
    text = "Das kostet ca. 10 Mio. Euro pro Jahr. Dr. Müller kam am 3. Oktober 2019 an."
    assert split_sentences(text) == split_sentences(text, "en") == split_sentences(text, "xx")
    assert len(split_sentences(text)) == 4  # English has no "ca." nor ordinals


def test_each_block_is_split_by_its_own_language():
    de = "Dr. Müller kam am 3. Oktober an. Er blieb."
    article = Article(
        blocks=(
            Block("paragraph", "He came on Oct. 3. He stayed."),
            Block("quote", de, language="de"),
        ),
        language="en",
    )
    found = [s.text for s in segment_article(article) if s.block == 1]
    assert found == ["Dr. Müller kam am 3. Oktober an.", "Er blieb."]


def test_nothing_is_lost_in_any_language():
    text = "• 9. Der erste Punkt • 10. Der zweite Punkt. „Ja!“ «Non !» 「はい。」"
    for lang in ("de", "fr", "ja", "da", "uk", "hy"):
        parts = split_sentences(text, lang)
        assert all(p and p == p.strip() for p in parts)
        assert "".join(parts).replace(" ", "") == text.replace(" ", "")


@pytest.mark.slow
def test_cli_lang_option_and_unknown_code():
    text = "Das kostet ca. 10 Mio. Euro pro Jahr. Dr. Müller kam am 3. Oktober 2019 an."
    command = Path(sys.executable).parent / "reader"
    if not command.exists():
        pytest.skip("the reader command is not installed beside this python")
    run = [str(command), "sentences", "--plain"]
    ok = subprocess.run([*run, "--lang", "de", "-"], input=text, capture_output=True, text=True)
    assert ok.returncode == 0
    assert ok.stdout.splitlines() == [
        "Das kostet ca. 10 Mio. Euro pro Jahr.", "Dr. Müller kam am 3. Oktober 2019 an."
    ]
    bad = subprocess.run([*run, "--lang", "germn", "-"], input=text, capture_output=True, text=True)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: unknown language code")
    assert "de (German)" in lines[0]
