"""The bundled article as it is said: its hard words by espeak-ng's phonemes."""

from __future__ import annotations

import pytest

import reader
from reader.segment import segment_article
from reader.spoken import sentence_words, spoken_text
from reader.spoken.phonemes import phonemes_apart
from reader.spoken.settings import SpokenSettings

#: Phrase in the article -> the sounds a listener should hear (IPA, stress left out).
RIGHT = {
    "ECOWAS": "iːkoʊwɑːs",  # a word, ee-KOH-wahss, not "eck-ow-uz"
    "3,300": "θɹiːθaʊzəndθɹiːhʌndɹɪd",  # three thousand three hundred (espeak-ng's own)
    "April 2013": "eɪpɹəltuːθaʊzəndθɜːtiːn",  # April two thousand thirteen
    "coup d’état": "kuːdeɪtɑː",  # coo day-TAH, not "coop dittat"
    "January 11": "dʒænjuːɛɹiɪlɛvənθ",  # January eleventh
}


@pytest.fixture(scope="module")
def seed(seed_html):
    article = reader.parse_source(str(seed_html))
    return article, segment_article(article)


def test_hard_words_of_the_seed_are_said_right(seed):
    article, sentences = seed
    said = {}
    for phrase in RIGHT:
        s = next(s for s in sentences if phrase in s.text)
        said[phrase] = sentence_words(article, s, SpokenSettings())
    got = dict(zip(said, phonemes_apart(list(said.values())), strict=True))
    for phrase, sounds in RIGHT.items():
        assert sounds in got[phrase], f"{phrase!r}: {said[phrase]!r} sounds {got[phrase]}"


def test_the_rest_of_the_seed_is_left_as_written(seed):
    article, sentences = seed
    changed = [s.text for s in sentences if spoken_text(s.text) != s.text]
    assert all(any(p in t for p in RIGHT) for t in changed), changed
