"""Extraction quality when a page's class and id names tell nothing: reader against
trafilatura on the development pages as they are and "unmarked".

    PYTHONPATH=. PEERS_PYTHON bench/unmarked.py DATA EVAL [--pages] [--bare] [--limit N]

DATA is the folder of the extraction pages (it holds ``aeb/`` and ``wcxb/``), EVAL the
folder of the extraction harness ``evaluate.py``, whose ``load_pages``, ``aeb_page`` and
``score`` are used unchanged. Run with the peers' Python so trafilatura is importable;
without it only reader is measured.

Unmarked: every ``class`` and ``id`` value in every start tag is replaced by a
meaningless token, the same name always by the same token within a page (so repeated
structure, the thing CSS selects on, survives) and class names one by one. Tag names,
ARIA roles, ``itemprop``, ``hidden``, ``style``, ``data-*``, JSON-LD and the rest of what
a page declares for every reader stay. Most of reader's furniture detection reads words
in class and id names; on a site reader has never seen those words differ, so the
unmarked figures show what the general signals carry alone.

Prints body F1, headline exact and the count of pages below body F1 0.5, per extractor,
version (real, unmarked), dataset and half (the fixed halves of
``bench/extraction_split.py``: A to fit on, B unseen). ``--pages`` lists reader's pages
below F1 0.5 on the unmarked version that are not below it on the real one.

Measured on main before the comments-heading rule (5698cc0), 60 AEB and 316 WCXB pages (trafilatura
2.x defaults as the harness runs it; the harness gives AEB pages no headline):

    extractor    version  data  half        n     F1  head=  F1<.5
    reader       real     aeb   A fit      24 0.982    n/a      0
    reader       real     aeb   B unseen   36 0.982    n/a      0
    reader       real     aeb   all        60 0.982    n/a      0
    reader       unmarked aeb   A fit      24 0.939    n/a      1
    reader       unmarked aeb   B unseen   36 0.946    n/a      1
    reader       unmarked aeb   all        60 0.944    n/a      2
    trafilatura  real     aeb   A fit      24 0.973    n/a      0
    trafilatura  real     aeb   B unseen   36 0.974    n/a      0
    trafilatura  real     aeb   all        60 0.973    n/a      0
    trafilatura  unmarked aeb   A fit      24 0.926    n/a      1
    trafilatura  unmarked aeb   B unseen   36 0.947    n/a      1
    trafilatura  unmarked aeb   all        60 0.939    n/a      2
    reader       real     wcxb  A fit     160 0.950  0.925      1
    reader       real     wcxb  B unseen  156 0.947  0.936      2
    reader       real     wcxb  all       316 0.948  0.930      3
    reader       unmarked wcxb  A fit     160 0.939  0.925      1
    reader       unmarked wcxb  B unseen  156 0.926  0.929      5
    reader       unmarked wcxb  all       316 0.933  0.927      6
    trafilatura  real     wcxb  A fit     160 0.919  0.544      5
    trafilatura  real     wcxb  B unseen  156 0.921  0.564      6
    trafilatura  real     wcxb  all       316 0.920  0.554     11
    trafilatura  unmarked wcxb  A fit     160 0.908  0.544      4
    trafilatura  unmarked wcxb  B unseen  156 0.903  0.564      5
    trafilatura  unmarked wcxb  all       316 0.906  0.554      9

Unmarked, reader lost 0.038 F1 on AEB and 0.015 on WCXB and read mostly the wrong text
on 5 more pages (2 AEB, 3 WCXB, 4 of them in half B); trafilatura loses 0.034 and
0.014, with 2 more on AEB and 2 fewer on WCXB. Four of the five were readers' comments
read with or instead of the article, which only the class names ("comments") had cut;
the fifth, a shop's shipping banner (the same line in five currencies) read instead of
one paragraph of promotion terms.

After the comments-heading rule (reader/data/boilerplate.toml ``comment_headings``:
from a heading such as "109 Comments" or "Leave a Reply" to the end of the element that
holds it, the page is comments), reader's rows; the real rows are unchanged to the
third decimal, trafilatura's are as above:

    reader       unmarked aeb   A fit      24 0.958    n/a      0
    reader       unmarked aeb   B unseen   36 0.972    n/a      0
    reader       unmarked aeb   all        60 0.967    n/a      0
    reader       unmarked wcxb  A fit     160 0.941  0.925      1
    reader       unmarked wcxb  B unseen  156 0.932  0.929      3
    reader       unmarked wcxb  all       316 0.937  0.927      4

Left below F1 0.5 only when unmarked: the shipping banner (half B). Then a text of
short blocks filled from one template ("the same lines again and again",
``reader.parse.confidence``) became a reason for doubt, and such blocks are left out of
the text a doubted choice is weighed against: the banner lost to the promotion terms
(0.000 -> 0.984), reader unmarked wcxb B 0.932 / 3 -> 0.939 / 2, all 0.937 / 4 -> 0.940
/ 3; the real rows unchanged.

``--bare`` adds pages that declare nothing either (``bare``), measured on the same code
(trafilatura's rows from the run before the template rule; its real and unmarked rows
are as above):

    reader       bare     aeb   all        60 0.949    n/a      0
    reader       bare     wcxb  A fit     160 0.930  0.912      2
    reader       bare     wcxb  B unseen  156 0.927  0.923      3
    reader       bare     wcxb  all       316 0.929  0.918      5
    trafilatura  bare     aeb   all        60 0.896    n/a      3
    trafilatura  bare     wcxb  A fit     160 0.828  0.825      5
    trafilatura  bare     wcxb  B unseen  156 0.838  0.833      7
    trafilatura  bare     wcxb  all       316 0.833  0.829     12

Then three more rules of the text ("You may also like" and other headings of what
follows an article, readers' comments stamped with a name, date and time under no
heading, and ``<form>`` as furniture), final code, reader's rows (trafilatura's as above):

    reader       real     aeb   all        60 0.982    n/a      0
    reader       unmarked aeb   all        60 0.970    n/a      0
    reader       bare     aeb   all        60 0.952    n/a      0
    reader       real     wcxb  A fit     160 0.950  0.925      1
    reader       real     wcxb  B unseen  156 0.948  0.936      2
    reader       unmarked wcxb  A fit     160 0.944  0.925      1
    reader       unmarked wcxb  B unseen  156 0.943  0.929      2
    reader       bare     wcxb  A fit     160 0.936  0.912      2
    reader       bare     wcxb  B unseen  156 0.933  0.923      3

Below F1 0.5 only when bare: wcxb/4193 (B; an accordion whose panels are hidden and
marked as panels only by ``role="region"``: without the role they are hidden furniture,
and a third of the article is read) and wcxb/0318 (A; a dictionary entry, 0.705 real).
"""

from __future__ import annotations

import argparse
import re
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reader  # noqa: E402
from reader.errors import ReaderError  # noqa: E402

# A start tag, attribute by attribute, so a ">" inside a quoted value does not end it.
_TAG = re.compile(
    r"<[a-zA-Z][^\s/>]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>")
_NAMED = re.compile(r"(\s)(class|id)(\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)
# What ``bare`` takes away besides: HTML5's sectioning tags, ARIA and microdata
# attributes, JSON-LD, and Open Graph / Twitter card metadata.
_SECTIONING = re.compile(r"<(/?)(?:article|main|nav|aside|header|footer|section)(?=[\s/>])", re.I)
_DECLARED = re.compile(
    r"\s(?:role|itemprop|itemscope|itemtype|aria-[\w-]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?",
    re.I)
_JSONLD = re.compile(r"<script[^>]*application/ld\+json[^>]*>.*?</script\s*>", re.I | re.S)
_CARD_META = re.compile(r"<meta[^>]*(?:property|name)\s*=\s*[\"']?(?:og|twitter|article):[^>]*>",
                        re.I)


def half(page_id: str) -> str:
    """"A" (fit on it) or "B" (unseen), the split of bench/extraction_split.py."""
    return "AB"[zlib.crc32(page_id.encode()) % 2]


def unmark(html: str) -> str:
    """``html`` with every class and id name replaced by a token that means nothing,
    the same name by the same token throughout the page."""
    tokens: dict[tuple[str, str], str] = {}

    def token(kind: str, name: str) -> str:
        key = (kind, name)
        if key not in tokens:
            tokens[key] = f"{kind[0]}{len(tokens):x}z"
        return tokens[key]

    def attribute(m: re.Match[str]) -> str:
        value = m.group(4)
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        kind = m.group(2).lower()
        names = inner.split() if kind == "class" else [inner.strip()]
        new = " ".join(token(kind, n) for n in names if n)
        return f'{m.group(1)}{m.group(2)}{m.group(3)}"{new}"'

    return _TAG.sub(lambda t: _NAMED.sub(attribute, t.group(0)), html)


def bare(html: str) -> str:
    """``html`` unmarked, and declaring nothing either, as a page of before HTML5 and
    structured data: sectioning tags become ``div``; roles, ARIA and microdata attributes,
    JSON-LD and Open Graph / Twitter metadata are gone. What is left to go by is the
    text, the links, headings, paragraphs and the ``<title>``."""
    html = _JSONLD.sub("", unmark(html))
    html = _CARD_META.sub("", html)
    html = _SECTIONING.sub(lambda m: f"<{m.group(1)}div", html)
    return _TAG.sub(lambda t: _DECLARED.sub("", t.group(0)), html)


def harness(eval_dir: Path, data: Path) -> ModuleType:
    import os
    os.environ["EXTRACTION_DATA"] = str(data)  # read when the harness is imported
    sys.path.insert(0, str(eval_dir))
    import evaluate  # type: ignore[import-not-found]
    return evaluate


def run_reader(html: str, url: str | None) -> dict:
    try:
        a = reader.parse(html, url, media_type="text/html")
    except ReaderError:
        return dict(headline=None, body="")
    return dict(headline=a.headline, body="\n\n".join(a.paragraphs))


def page_f1(ev: ModuleType, truth: str, body: str) -> float:
    tp, fp, fn = ev.aeb_page(truth, body)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("data", type=Path, help="folder with aeb/ and wcxb/")
    ap.add_argument("eval", type=Path, help="folder of the extraction harness evaluate.py")
    ap.add_argument("--pages", action="store_true",
                    help="list reader's pages below F1 0.5 only when unmarked")
    ap.add_argument("--limit", type=int, help="first N pages per dataset")
    ap.add_argument("--no-peer", action="store_true", help="reader only")
    ap.add_argument("--bare", action="store_true",
                    help="also pages that declare nothing (``bare``): no HTML5 sections, "
                    "roles, microdata, JSON-LD or Open Graph")
    args = ap.parse_args()
    ev = harness(args.eval, args.data)
    extractors: dict[str, Callable[[str, str | None], dict]] = {"reader": run_reader}
    if not args.no_peer:
        try:
            extractors["trafilatura"] = ev.make_trafilatura()
        except ImportError:
            print("trafilatura not importable: reader only", file=sys.stderr)
    print(f"{'extractor':<12} {'version':<8} {'data':<5} {'half':<8} {'n':>4} {'F1':>6}"
          f" {'head=':>6} {'F1<.5':>6}")
    only_unmarked = []
    for ds in ("aeb", "wcxb"):
        pages = list(ev.load_pages(ds))[:args.limit]
        htmls = [ev.read_html(pg["html"]) for pg in pages]
        versions = {"real": htmls, "unmarked": [unmark(h) for h in htmls]}
        if args.bare:
            versions["bare"] = [bare(h) for h in htmls]
        for name, extract in extractors.items():
            f1s: dict[str, list[float]] = {}
            for version, docs in versions.items():
                preds = []
                for pg, doc in zip(pages, docs, strict=True):
                    pred = extract(doc, pg["url"])
                    pred["body"] = pred.get("body") or ""
                    pred["seconds"] = 0.0
                    preds.append(pred)
                f1s[version] = [page_f1(ev, pg["body"], p["body"])
                                for pg, p in zip(pages, preds, strict=True)]
                for h in ("A", "B", "all"):
                    pick = [i for i, pg in enumerate(pages) if h == "all" or half(pg["id"]) == h]
                    m = ev.score([pages[i] for i in pick], [preds[i] for i in pick], n_boot=1)
                    head = f"{m['head_exact']:.3f}" if "head_exact" in m else "n/a"
                    label = {"A": "A fit", "B": "B unseen", "all": "all"}[h]
                    print(f"{name:<12} {version:<8} {ds:<5} {label:<8} {m['n']:>4} {m['F1']:.3f}"
                          f" {head:>6} {m['miss']:>6}", flush=True)
            if name == "reader":
                for version in versions.keys() - {"real"}:
                    only_unmarked += [(version, pg["id"], half(pg["id"]), real, un)
                                      for pg, real, un in zip(pages, f1s["real"], f1s[version],
                                                              strict=True)
                                      if un < 0.5 <= real]
    if args.pages:
        print("\nreader below F1 0.5 only when unmarked or bare (version, page, half, F1 real"
              " -> F1 there):")
        for version, page_id, h, real, un in sorted(only_unmarked):
            print(f"{version:<8} {page_id} {h} {real:.3f} -> {un:.3f}")


if __name__ == "__main__":
    main()
