"""The language of an article and of its blocks: declarations checked against the text."""

from __future__ import annotations

import pytest

from reader.language import block_language, choose, normalize
from reader.parse import parse

DE = (
    "Der Bürgermeister sagte, die Stadt habe lange auf diese Entscheidung gewartet. Viele "
    "Pendler würden von der neuen Verbindung profitieren, weil die Fahrzeit nach Berlin um "
    "fast eine halbe Stunde sinke. Kritiker bemängeln dagegen die hohen Kosten."
)
EN = (
    "The mayor said the city had waited a long time for this decision. Many commuters "
    "would benefit from the new line, because the journey to the capital would be almost "
    "half an hour shorter. Critics point instead to the high cost."
)
FR = "Nous ne savons pas encore si la ville pourra payer ce projet dans les temps prévus."


def page(lang_attr: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html lang="{lang_attr}"><head><title>T</title>{head}</head><body><article>'
        f"<h1>A headline for the test page</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    "tag, code",
    [("en-US", "en"), ("fr_FR", "fr"), ("DE", "de"), ("deu", "de"), ("iw", "he"),
     ("und", None), ("x-default", None), ("", None), ("12", None), ("en us!", None), (None, None)],
)  # fmt: skip
def test_normalize(tag, code):
    assert normalize(tag) == code


def test_text_overrules_a_wrong_declaration():
    assert choose(["en"], DE) == "de"
    assert choose(["de-DE"], DE) == "de"
    assert choose([], DE) == "de"


def test_short_text_keeps_the_declaration():
    assert choose(["fr"], "Bonjour") == "fr"
    assert choose(["fr"], "OK 12 34") == "fr"
    assert choose([], "OK") is None


def test_declarations_that_disagree_are_settled_by_the_text():
    assert choose(["en", "de"], DE) == "de"
    assert choose(["de", "en"], EN) == "en"


def test_a_block_switches_only_on_enough_evidence():
    assert block_language(FR, "en") == "fr"
    assert block_language("Merci beaucoup, mon ami.", "en") is None  # a few words
    assert block_language(EN, "en") is None


def test_page_declared_english_in_german_is_german():
    article = parse(page("en", [DE, DE.replace("Stadt", "Gemeinde")]))
    assert article.language == "de"


def test_region_is_kept_when_the_text_agrees():
    assert parse(page("en-GB", [EN])).language == "en-GB"
    assert parse(page("", [DE], '<meta property="og:locale" content="de_DE">')).language == "de-DE"


def test_jsonld_in_language_and_server_header_are_declarations():
    jsonld = '{"@type": "NewsArticle", "inLanguage": "de-CH"}'
    head = f'<script type="application/ld+json">{jsonld}</script>'
    assert parse(page("", [DE], head)).language == "de-CH"
    assert parse(page("", [DE]), language="de-AT").language == "de-AT"
    assert parse(page("de-DE", [DE]), language="de-AT").language == "de-DE"  # the page's own first


def test_english_article_quoting_french_marks_that_block():
    article = parse(page("en", [EN, FR + " " + FR.replace("ville", "région"), EN]))
    assert article.language == "en"
    langs = [b.language for b in article.blocks]
    assert langs.count("fr") == 1 and langs.count(None) == len(langs) - 1
    assert article.to_dict()["blocks"][2]["language"] == "fr"


def test_plain_text_gets_the_language_of_its_text():
    text = DE + " " + DE
    assert parse(text).language == "de"


def test_text_in_a_script_with_no_letters_the_detector_knows():
    article = parse(page("en", ["12 345 678 — 9 %", EN]))
    assert article.language == "en"


def test_a_long_quotation_does_not_make_the_page_its_language():
    quote = " ".join([DE] * 2)
    article = parse(page("en", [EN, quote, EN.replace("mayor", "governor")]))
    assert article.language == "en"
    assert [b.language for b in article.blocks if b.language] == ["de"]


def test_a_declaration_the_text_hardly_holds_loses_to_its_main_language():
    paragraphs = [DE, DE.replace("Stadt", "Gemeinde"), EN]
    assert parse(page("fr", paragraphs)).language == "de"


@pytest.mark.slow
def test_the_cached_model_gives_the_packaged_models_answers(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from reader.language import _from_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    packaged = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = _from_cache(LanguageIdentifier, MODEL_DIR / MODEL_FILE)  # unpacks, then maps
    again = _from_cache(LanguageIdentifier, MODEL_DIR / MODEL_FILE)  # maps the copy
    assert list(tmp_path.glob("reader/py3langid-*/ptc.npy"))
    for text in (DE, EN, FR, "Привет, как дела?", "これは本です。", "x"):
        want = packaged.rank(text)[:3]
        assert first.rank(text)[:3] == want and again.rank(text)[:3] == want


def test_the_servers_content_language_header_is_a_declaration():
    from reader.pipeline import load_article
    from tests.support import RouteServer, send

    short = "<html><head><title>T</title></head><body><article><h1>Titel</h1>" + "".join(
        f"<p>{p}</p>" for p in (DE, DE.replace("Stadt", "Gemeinde"))
    ) + "</article></body></html>"
    wrong = short.replace("<html>", '<html lang="en">')
    routes = {"/de": send(short.encode(), Content_Language="de-AT"),
              "/en": send(wrong.encode(), Content_Language="de")}  # fmt: skip
    with RouteServer(routes) as base:
        source, article = load_article(f"{base}/de")
        _, declared_english = load_article(f"{base}/en")
    assert source.language == "de-AT"
    assert article.language == "de-AT"  # declared by the server, and the text agrees
    assert declared_english.language == "de"  # lang="en", but the header and text say German


def test_time_is_bounded_on_a_page_of_endless_blocks():
    import time

    from reader.language import DETECT_CHARS, settle
    from reader.model import Article, Block

    n = 2 * DETECT_CHARS // len(EN)
    blocks = [Block("quote", FR)] + [Block("paragraph", f"{EN} {i}") for i in range(n)]
    article = Article((*blocks, Block("quote", FR + " !")), language="en")
    started = time.perf_counter()
    settled = settle(article, ["en"])
    assert time.perf_counter() - started < 10  # about 0.3 s here
    assert settled.language == "en"
    assert settled.blocks[0].language == "fr"  # judged
    assert settled.blocks[-1].language is None  # past what is read: the article's language


@pytest.mark.parametrize("window", [6, 2])
def test_texts_judged_together_get_the_detectors_own_answers_text_by_text(window, monkeypatch):
    # detect_many runs the detector's state machine over all texts at once (numpy);
    # its guesses must be rank()'s, probabilities to the last digit, in rank's order.
    # A window too short for the machine is caught by the check of each state.
    from reader import language
    from reader.language import _detector, _machine, detect_many, letters

    monkeypatch.setattr(language, "_WINDOW", window)
    assert _machine(_detector()) is not None  # the numpy path, not rank() text by text

    texts = [DE, EN, FR, EN.upper(), "Привет, как дела? " * 30, "これは本です。", "x", "",
             "12 345 67", "e\u0301te\u0301 " * 5, DE[:60] + " " + FR, "\x00\ufffd a",
             " ".join([EN, DE, FR] * 6), "ab" * 400]  # fmt: skip
    got = detect_many(texts)
    for text, guess in zip(texts, got, strict=True):
        if not letters(text):
            assert guess is None
            continue
        top = [(normalize(c), p) for c, p in _detector().rank(text)[:5]]
        assert guess is not None
        assert list(guess.ranked) == [(c, p) for c, p in top if c]
    assert got == [detect_many([t])[0] for t in texts]  # a text's answer is its own
