"""Sentence splitting: a table of news-text rules, NLTK Punkt offline, and invariants."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import split_sentences
from reader.segment import iter_spans, punkt, segment_text

# (rule, text, expected sentences). Written for news text; none is from the eval sets.
TABLE = [
    (
        "title",
        "Gen. Mark Milley spoke on Monday. He said the U.S. Army was ready.",
        ["Gen. Mark Milley spoke on Monday.", "He said the U.S. Army was ready."],
    ),
    (
        "titles",
        "Sen. Elizabeth Warren and Rep. Jim Jordan met. They disagreed.",
        ["Sen. Elizabeth Warren and Rep. Jim Jordan met.", "They disagreed."],
    ),
    (
        "stacked titles",
        "Lt. Col. John Smith and Sgt. Maj. Ann Lee were there. Both declined.",
        ["Lt. Col. John Smith and Sgt. Maj. Ann Lee were there.", "Both declined."],
    ),
    (
        "U.N., Jan., No., St.",
        "The U.N. Security Council met on Jan. 5 in New York. No. 10 Downing St. did not comment.",
        [
            "The U.N. Security Council met on Jan. 5 in New York.",
            "No. 10 Downing St. did not comment.",
        ],
    ),
    (
        "St. ends a sentence",
        "He lives on Elm St. The house is old.",
        ["He lives on Elm St.", "The house is old."],
    ),
    ("Saint", "St. Louis is in Missouri.", ["St. Louis is in Missouri."]),
    (
        "U.S. inside",
        "She moved to the U.S. in 2019. She starts at 8 a.m. every day.",
        ["She moved to the U.S. in 2019.", "She starts at 8 a.m. every day."],
    ),
    (
        "U.S. at the end",
        "Britain left the E.U. The deal took effect in Jan. 2021.",
        ["Britain left the E.U.", "The deal took effect in Jan. 2021."],
    ),
    (
        "a.m. and p.m.",
        "The meeting starts at 9 a.m. and ends at 5 p.m. Officials said little.",
        ["The meeting starts at 9 a.m. and ends at 5 p.m.", "Officials said little."],
    ),
    (
        "p.m. then a capital",
        "The polls close at 8 p.m. Results are expected by 11 p.m. on Tuesday.",
        ["The polls close at 8 p.m.", "Results are expected by 11 p.m. on Tuesday."],
    ),
    (
        "time opens the sentence",
        "By 6 a.m. Sunday, the storm had passed.",
        ["By 6 a.m. Sunday, the storm had passed."],
    ),
    (
        "degrees",
        "Prof. Jane Doe, Ph.D., wrote the report. It was long.",
        ["Prof. Jane Doe, Ph.D., wrote the report.", "It was long."],
    ),
    (
        "company at the end",
        "The deal was signed by Acme Corp. The firm declined to comment.",
        ["The deal was signed by Acme Corp.", "The firm declined to comment."],
    ),
    (
        "D.C.",
        "The company, based in Washington, D.C., will hire 500 people. The jobs pay well.",
        ["The company, based in Washington, D.C., will hire 500 people.", "The jobs pay well."],
    ),
    (
        "initials",
        "The novel by J. K. Rowling sold well. It was her first.",
        ["The novel by J. K. Rowling sold well.", "It was her first."],
    ),
    (
        "middle initial",
        "Franklin D. Roosevelt was elected in 1932. He served four terms.",
        ["Franklin D. Roosevelt was elected in 1932.", "He served four terms."],
    ),
    (
        "joined initials",
        "H.G. Wells wrote it. Critics loved it.",
        ["H.G. Wells wrote it.", "Critics loved it."],
    ),
    (
        "decimals, money, percent",
        "The rate rose 2.5 percent to $3.75 billion. Shares fell 0.4%. Analysts were surprised.",
        [
            "The rate rose 2.5 percent to $3.75 billion.",
            "Shares fell 0.4%.",
            "Analysts were surprised.",
        ],
    ),
    (
        "number at the end",
        "The index closed at 4,512.25. It had risen 1.2% in a week.",
        ["The index closed at 4,512.25.", "It had risen 1.2% in a week."],
    ),
    ("pounds", "It cost £4.5bn. The Treasury paid.", ["It cost £4.5bn.", "The Treasury paid."]),
    ("ellipsis ends", "He paused… Then he spoke again.", ["He paused…", "Then he spoke again."]),
    ("ellipsis inside", "It was, well... complicated.", ["It was, well... complicated."]),
    (
        "quotes",
        '"We will rebuild," the mayor said. "It will take years."',
        ['"We will rebuild," the mayor said.', '"It will take years."'],
    ),
    (
        "? inside quotes",
        "“Is it over?” she asked. “Not yet.”",
        ["“Is it over?” she asked.", "“Not yet.”"],
    ),
    ("? then a name and a verb of saying", "“Why?” Smith asked.", ["“Why?” Smith asked."]),
    (
        "! inside quotes",
        "“Stop!” shouted the officer. Nobody moved.",
        ["“Stop!” shouted the officer.", "Nobody moved."],
    ),
    (
        "sentences inside a quotation",
        "“I’m here. I’m staying,” she said.",
        ["“I’m here. I’m staying,” she said."],
    ),
    (
        "nested quotes",
        "He said: “They told me ‘leave now.’ So I left.” Then he wept.",
        ["He said: “They told me ‘leave now.’ So I left.”", "Then he wept."],
    ),
    (
        "? inside a sentence",
        "He asked, “Are you sure?” and left.",
        ["He asked, “Are you sure?” and left."],
    ),
    (
        "parentheses",
        "The bill passed (it needed 60 votes). The president will sign it.",
        ["The bill passed (it needed 60 votes).", "The president will sign it."],
    ),
    (
        "sentence in parentheses",
        "(The report was released on Monday.) Officials declined to comment.",
        ["(The report was released on Monday.)", "Officials declined to comment."],
    ),
    (
        "period in parentheses",
        "He teaches (see p. 4. for details) at the school. She studies.",
        ["He teaches (see p. 4. for details) at the school.", "She studies."],
    ),
    (
        "dashes",
        "The plan — approved on Monday — will cost $5 million. Work starts soon.",
        ["The plan — approved on Monday — will cost $5 million.", "Work starts soon."],
    ),
    (
        "double hyphen",
        "He left early -- nobody knew why. Then he came back.",
        ["He left early -- nobody knew why.", "Then he came back."],
    ),
    (
        "numbered items",
        "1. Open the box 2. Remove the cover 3. Plug it in",
        ["1. Open the box", "2. Remove the cover", "3. Plug it in"],
    ),
    ("bullets", "• First point • Second point", ["• First point", "• Second point"]),
    (
        "lines as items",
        "Key points:\n- Prices rose\n- Wages fell",
        ["Key points:", "- Prices rose", "- Wages fell"],
    ),
    (
        "headline line",
        "Storm hits coast\nThousands lose power as winds reach 100 mph.",
        ["Storm hits coast", "Thousands lose power as winds reach 100 mph."],
    ),
    (
        "blank line",
        "Storm hits coast\n\nThousands lose power.",
        ["Storm hits coast", "Thousands lose power."],
    ),
    (
        "wrapped lines",
        "The council voted on Tuesday to approve the plan, said Mayor\n"
        "Ellen Park, who will sign it next week in front of the\nbuilding.",
        [
            "The council voted on Tuesday to approve the plan, said Mayor\nEllen Park, who will "
            "sign it next week in front of the\nbuilding."
        ],
    ),
    (
        "URL and e-mail",
        "Read more at www.example.com/news. Or e-mail tips@example.org. We reply fast.",
        ["Read more at www.example.com/news.", "Or e-mail tips@example.org.", "We reply fast."],
    ),
    (
        "URL with a query",
        "Visit https://example.com/a.b?c=1. It is free.",
        ["Visit https://example.com/a.b?c=1.", "It is free."],
    ),
    ("no space after the period", "It rained.Then it stopped.", ["It rained.", "Then it stopped."]),
    (
        "No. then a number",
        "He finished No. 1. The rest followed.",
        ["He finished No. 1.", "The rest followed."],
    ),
    (
        "month then a year",
        "The Dow fell on Friday, its worst day since Oct. 2020. The S&P 500 lost 2%.",
        ["The Dow fell on Friday, its worst day since Oct. 2020.", "The S&P 500 lost 2%."],
    ),
    (
        "questions and exclamations",
        "What happened? Nobody knows! Police are investigating.",
        ["What happened?", "Nobody knows!", "Police are investigating."],
    ),
    (
        "citation marks",
        "The law passed in 2019.[3] It was repealed.",
        ["The law passed in 2019.[3]", "It was repealed."],
    ),
    (
        "time then a day",
        "The vote is set for 5 p.m. Monday. It may slip.",
        ["The vote is set for 5 p.m. Monday.", "It may slip."],
    ),
    (
        "suffix then a name",
        "Martin Luther King Jr. Day is a holiday.",
        ["Martin Luther King Jr. Day is a holiday."],
    ),
    (
        "company suffix",
        "Apple Inc. Chief Executive Tim Cook spoke. He smiled.",
        ["Apple Inc. Chief Executive Tim Cook spoke.", "He smiled."],
    ),
    (
        "state abbreviation",
        "At a rally in Boston, Mass. Gov. Maura Healey spoke. He lives in Dover, Del. He is 40.",
        [
            "At a rally in Boston, Mass. Gov. Maura Healey spoke.",
            "He lives in Dover, Del.",
            "He is 40.",
        ],
    ),
    ("a word, not a state", "He fell ill. Doctors came.", ["He fell ill.", "Doctors came."]),
    (
        "lower-case brand",
        "Sales of the iPhone rose. iPhone sales in China fell.",
        ["Sales of the iPhone rose.", "iPhone sales in China fell."],
    ),
    (
        "party and state",
        "Sen. Dianne Feinstein (D-Calif.) said on Monday that she would retire.",
        ["Sen. Dianne Feinstein (D-Calif.) said on Monday that she would retire."],
    ),
    ("Chinese", "他来了。她走了！ Then he left.", ["他来了。", "她走了！", "Then he left."]),
]


@pytest.mark.parametrize(("rule", "text", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_news_rules(rule, text, expected):
    assert split_sentences(text) == expected


def test_punkt_decides_an_abbreviation_the_rules_leave_open():
    # "Ariz." is one of Punkt's English abbreviations and "Smith" no function word:
    # NLTK's own second pass decides (no break: a capitalised word after an abbreviation).
    p = punkt.tokenizer()
    assert p.breaks_after("Ariz.", "Smith") is False
    assert p.breaks_after("house.", "Smith") is True
    assert split_sentences("He lived in Phoenix, Ariz. Smith said so.") == [
        "He lived in Phoenix, Ariz. Smith said so."
    ]


def test_nltk_punkt_english_parameters_offline():
    p = punkt.tokenizer()
    assert {"mr", "dr", "u.s", "jan"} <= p.abbreviations
    # Plain NLTK Punkt with these parameters: it keeps "Dr." and splits after "p.m.".
    assert p.tokenize("Dr. Smith arrived at 5 p.m. He left.") == [
        "Dr. Smith arrived at 5 p.m.",
        "He left.",
    ]


@pytest.mark.slow
def test_nltk_is_imported_without_its_package_init_and_stays_importable():
    code = (
        "import sys\n"
        "from reader.segment import punkt\n"
        "punkt.load_nltk()\n"
        "assert 'nltk' not in sys.modules, 'nltk/__init__ ran'\n"
        "import nltk\n"
        "from nltk.tokenize import PunktSentenceTokenizer\n"
        "assert hasattr(nltk, 'word_tokenize')\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


def _nonspace(s: str) -> str:
    return "".join(s.split())


PIECES = list("abcXYZ .!?…,;:\"'“”‘’()[]-—\n\t0123456789$%@/\x00\x1féä中") + [
    "Mr.",
    "U.S.",
    "a.m.",
    " The ",
    "...",
    " 2. ",
    "•",
    "www.x.com",
    "\n\n",
    " Ph.D. ",
    "''",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=120).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_nothing_is_lost(text):
    sentences = split_sentences(text)
    assert _nonspace("".join(sentences)) == _nonspace(text)
    for s in sentences:
        assert s and s == s.strip()


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(min_value=20, max_value=80))
def test_offsets_and_chunks(text, limit):
    found = segment_text(text, 3, limit)
    assert [s.index for s in found] == list(range(len(found)))
    for s in found:
        assert s.block == 3 and text[s.start : s.end] == s.text
        assert _nonspace("".join(s.chunks)) == _nonspace(s.text)
        for c in s.chunks:
            assert c and (len(c) <= limit or not any(ch.isspace() for ch in c))


def test_spans_come_in_order_without_overlap():
    text = "One. Two! Three? Four.\n\nFive\nSix."
    spans = list(iter_spans(text))
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:], strict=False))
    assert [text[a:b] for a, b in spans] == ["One.", "Two!", "Three?", "Four.", "Five", "Six."]
