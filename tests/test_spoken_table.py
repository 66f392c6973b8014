"""What reader says for news phrasing, checked by ear: espeak-ng's phonemes of reader's
spoken text must equal those of what a person reading it aloud says.

The table (tests/data/spoken-en.tsv) covers money, percentages, decades, dates, times,
ordinals, ranges, scores, fractions, units, titles, abbreviations, Roman numerals, phone
numbers, symbols, e-mail addresses, links, citation marks, loanwords and text espeak-ng
already reads right. ``bench/spoken.py`` gives the share right with and without reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.spoken import spoken_text
from reader.spoken.phonemes import phonemes_apart

TABLE = Path(__file__).resolve().parent / "data" / "spoken-en.tsv"
ROWS = [
    tuple(line.split("\t"))
    for line in TABLE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
#: Cases reader still says wrong, and why; strict: a fix must remove them from here.
KNOWN = {
    "Elizabeth I ruled for 44 years.": "'I' before a verb is taken for the pronoun",
}


@pytest.fixture(scope="module")
def sounds() -> dict[str, str]:
    texts = sorted({spoken_text(t) for _, t, _ in ROWS} | {said for *_, said in ROWS})
    return dict(zip(texts, phonemes_apart(texts), strict=True))


def test_the_table_is_big_and_covers_every_category():
    categories = {c for c, *_ in ROWS}
    assert len(ROWS) >= 200
    assert categories >= {
        "money", "percent", "decade", "date", "time", "ordinal", "range", "score",
        "fraction", "unit", "title", "abbreviation", "roman", "phone", "symbol", "email",
        "url", "citation", "plain",
    }  # fmt: skip


@pytest.mark.parametrize(
    "category, text, said",
    [
        pytest.param(*row, marks=pytest.mark.xfail(reason=KNOWN[row[1]], strict=True))
        if row[1] in KNOWN
        else row
        for row in ROWS
    ],
    ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)],
)
def test_said_as_a_person_says_it(sounds, category, text, said):
    ours = spoken_text(text)
    assert sounds[ours] == sounds[said], f"{text!r} -> {ours!r}, a person says {said!r}"
