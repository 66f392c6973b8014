"""Does reader's confidence notice the wrong text? Measured on many wrong texts, not
only on the few pages reader gets wrong.

    PYTHONPATH=. python bench/confidence.py SHARED [--pasted] [--save cands.jsonl]

SHARED is the folder that holds ``data/extraction`` (the pages), ``data/pasted`` (their
copies as pasted text, with ``--pasted``) and ``eval/extraction/evaluate.py`` (the
harness, whose per-page body F1 is used unchanged).

On every development page the walk's candidate bodies are built as ``candidates.py``
builds them (the first choice, the declared article, the smallest container of most of
the page's running text, the best container apart from the first choice, the best ones
inside it), and besides them other text of the page: the containers that score highest
elsewhere, the parts of the chosen container, the containers around it (the whole page
read as one article), and the containers that reader leaves out as furniture by their
class (cookie panels, comments, related links, footers), read as if nothing marked them:
what reader would read on a site whose classes it does not know. Each candidate is
judged by ``confidence.assess`` as reader judges its choice, and labelled by its own
body F1 against the page's truth: below 0.5 it is the wrong text. Each is judged a
second time alone, as if it were all the text of its page and the page declared no
article: most wrong texts here are small beside the article and "much less text than the
page shows" finds them, but on an unseen site the article may be missing from the page's
markup (written by scripts), and then only what the text itself looks like can tell.
Candidates with the same text count once per page.

Printed per half of the pages (``extraction_split.half``: A to fit on, B unseen):
recall, the share of wrong-text candidates flagged (confidence below ``LOW``), and the
false-flag rate, the share of right-text candidates flagged, overall, for the big ones
(holding at least ``BIG`` of the page's running text: the wrong texts that are hard to
notice) and per kind of candidate; then the same table for reader's real output on
each page (flagged against body F1 below 0.5). With ``--pasted``, the same for the
pasted copies: pieces of each paste (the lines reader reads, those before and after
them, a part of them, the whole paste) judged as the pasted reader judges its choice.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_split import half, harness, page_f1  # noqa: E402

import reader  # noqa: E402
from reader.errors import ReaderError  # noqa: E402
from reader.model import BODY_KINDS  # noqa: E402
from reader.parse import candidates as cand  # noqa: E402
from reader.parse.body import furniture_flags, prose, read_span, scores, select  # noqa: E402
from reader.parse.confidence import LOW, Page, assess  # noqa: E402
from reader.parse.html import BeautifulSoup, repair_mojibake, strip_unread  # noqa: E402
from reader.parse.meta import jsonld_blocks, read_meta  # noqa: E402
from reader.parse.rules import rules  # noqa: E402
from reader.parse.walk import walk  # noqa: E402

#: How many other containers of each kind are taken per page.
OTHERS = 4
#: The share of the page's running text that makes a candidate big (see ``big``).
BIG = 0.4
#: The least running text (characters) a container must hold to be a candidate.
MIN_TEXT = 200


@dataclass
class Candidate:
    kind: str
    """chosen, candidate (one that ``candidates.choose`` would consider), elsewhere (a
    container apart from the chosen one), part (inside it) or more (around it)."""
    texts: list[str]
    page: Page

    def big(self) -> bool:
        """Holds at least ``BIG`` of the page's running text: a wrong text that the
        check "much less text than the page shows" cannot catch."""
        return sum(map(len, self.texts)) >= BIG * self.page.prose

    def judged(self) -> tuple[float, tuple[str, ...]]:
        return assess(self.texts, self.page)

    def alone(self) -> tuple[float, tuple[str, ...]]:
        """Judged as all the text of a page that declares no article."""
        return assess(self.texts, replace(self.page, prose=0, declared_apart=False,
                                          declared_share=None, declared_here=False))


def html_candidates(html: str) -> Iterator[Candidate]:
    """The candidate bodies of one HTML page, each with the page around it (as
    ``candidates.choose`` compares them)."""
    html = repair_mojibake(html)
    jsonld = jsonld_blocks(html) if "ld+json" in html else []
    r = rules()
    soup = BeautifulSoup(strip_unread(html, False), "lxml", multi_valued_attributes=None)
    w = walk(soup, r)
    if not w.chunks:
        return
    meta = read_meta(soup, jsonld)
    main = select(w, r)
    furniture = main.furniture or furniture_flags(w)
    weights = [0 if f else prose(c) for c, f in zip(w.chunks, furniture, strict=True)]
    declared = [(s, e, b) for s, e, b in w.spans if b]
    marked = cand._most(declared, weights, 1.0)
    if marked and cand._held(weights, marked) < cand.DECLARED_MIN:
        marked = None
    runs = cand._runs(meta.article_body) if cand._paragraphs(meta.article_body) else None
    around = cand._Around(w, furniture, weights, marked, runs)
    values = scores(w, furniture)
    first = main.span
    spans: list[tuple[str, tuple[int, int] | None]] = [("chosen", first)]
    spans += [("candidate", s) for s in (
        marked, cand._most(w.spans, weights, cand.MOST, inside=first),
        cand._best(w.spans, values, first), *cand._inside(w.spans, values, first, 4))]
    if runs:
        spans.append(("candidate", cand._most(w.spans, cand._matching(w, furniture, runs),
                                              cand.MOST)))
    held = sorted({(s, e) for s, e, _ in w.spans if cand._held(weights, (s, e)) >= MIN_TEXT},
                  key=lambda se: -sum(values[se[0]:se[1]]))
    apart = [se for se in held if se[1] <= first[0] or se[0] >= first[1]]
    inside = [se for se in held if first[0] <= se[0] and se[1] <= first[1] and se != first]
    outside = [se for se in held if se[0] <= first[0] and se[1] >= first[1] and se != first]
    # Parts of the chosen container: the largest and the smallest that hold prose.
    inside_pick = inside[:OTHERS // 2] + sorted(inside, key=lambda se: se[1] - se[0])[:OTHERS // 2]
    # Containers around it: the nearest and the whole page.
    outside.sort(key=lambda se: se[1] - se[0])
    spans += [("elsewhere", s) for s in apart[:OTHERS]]
    spans += [("part", s) for s in inside_pick]
    spans += [("more", s) for s in outside[:1] + outside[-1:]]
    seen: set[tuple[str, ...]] = set()
    for kind, span in spans:
        if span is None:
            continue
        body = read_span(w, r, furniture, *span)
        texts = [t for k, t in body.items if k in BODY_KINDS]
        if not texts or tuple(texts) in seen:
            continue
        seen.add(tuple(texts))
        # The page around the candidate, as ``_Around.judge`` gives it to ``assess``.
        yield Candidate(kind, texts, _page_of(around, body))
    # Furniture that reader knows by its class (a cookie panel, comments, related links,
    # a footer) is what it would read on a site whose classes it does not know: read
    # such containers with nothing marked, as the page of such a site.
    plain = [False] * len(w.chunks)
    blind = cand._Around(w, plain, [prose(c) for c in w.chunks], marked, runs)
    for span in _furniture_spans(w, furniture, first):
        body = read_span(w, r, plain, *span)
        texts = [t for k, t in body.items if k in BODY_KINDS]
        if texts and tuple(texts) not in seen:
            seen.add(tuple(texts))
            yield Candidate("unmarked", texts, _page_of(blind, body))


def _furniture_spans(w, furniture: list[bool], first: tuple[int, int]) -> list[tuple[int, int]]:
    """Up to ``OTHERS`` containers apart from the chosen one, each holding at least
    ``MIN_TEXT`` characters of body text, most of it in furniture-marked chunks; the
    largest first, none inside another."""
    found = []
    for s, e, _ in w.spans:
        if not (e <= first[0] or s >= first[1]):
            continue
        sizes = [(len(c.text), f) for c, f in zip(w.chunks[s:e], furniture[s:e], strict=True)
                 if c.kind in BODY_KINDS]
        total = sum(n for n, _ in sizes)
        if total >= MIN_TEXT and sum(n for n, f in sizes if f) >= 0.7 * total:
            found.append((s, e))
    found.sort(key=lambda se: se[0] - se[1])
    out: list[tuple[int, int]] = []
    for s, e in found:
        if not any(a <= s and e <= b for a, b in out):
            out.append((s, e))
    return out[:OTHERS]


def _page_of(around, body) -> Page:
    """The ``Page`` that ``_Around.judge`` builds for ``body``, caught on its way to
    ``assess`` (so that the bench judges each candidate with exactly reader's view of the
    page around it, and can judge it again alone)."""
    captured: list[Page] = []
    real = cand.assess

    def spy(texts, page):
        captured.append(page)
        return real(texts, page)

    cand.assess = spy
    try:
        around.judge(body)
    finally:
        cand.assess = real
    return captured[0]


def _rate(n: int, d: int) -> str:
    return f"{n:>4} of {d:<5} {100 * n / d:5.1f}%" if d else f"{n:>4} of {d:<5}   n/a"


def candidate_table(rows: list[dict]) -> None:
    print(f"Candidate bodies: flagged (confidence < {LOW}) among wrong text (F1 < 0.5), "
          "and among right text; judged on their page, and alone")
    print(f"{'half':<9} {'kind':<10} {'recall on wrong':>22} {'false flags on right':>22}"
          f" {'alone: recall':>22} {'false flags':>22}")
    for h in "AB":
        sel = [r for r in rows if r["half"] == h]
        for kind in ("all", "big", "chosen", "candidate", "elsewhere", "part", "more",
                     "unmarked"):
            group = [r for r in sel if kind == "all" or r["kind"] == kind
                     or (kind == "big" and r["big"])]
            wrong = [r for r in group if r["f1"] < 0.5]
            right = [r for r in group if r["f1"] >= 0.5]
            cells = []
            for key in ("confidence", "alone"):
                cells.append(_rate(sum(r[key] < LOW for r in wrong), len(wrong)))
                cells.append(_rate(sum(r[key] < LOW for r in right), len(right)))
            label = h + (" fit" if h == "A" else " unseen")
            print(f"{label:<9} {kind:<10} " + " ".join(f"{c:>22}" for c in cells))
    print("\nReasons given on wrong-text and right-text candidates (both halves):")
    for label, group in (("wrong", [r for r in rows if r["f1"] < 0.5]),
                         ("right", [r for r in rows if r["f1"] >= 0.5])):
        count = Counter(x for r in group for x in r["reasons"])
        print(f"  {label}: " + "; ".join(f"{k} {n}" for k, n in count.most_common()))


def output_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}: reader's output flagged against body F1 < 0.5")
    print(f"{'half':<9} {'flagged/F1<.5':>16} {'flagged/F1>=.5':>22}")
    for h in ("A", "B", "all"):
        sel = [r for r in rows if h == "all" or r["half"] == h]
        bad = [r for r in sel if r["f1"] < 0.5]
        good = [r for r in sel if r["f1"] >= 0.5]
        label = {"A": "A fit", "B": "B unseen"}.get(h, h)
        print(f"{label:<9} {_rate(sum(r['confidence'] < LOW for r in bad), len(bad)):>16} "
              f"{_rate(sum(r['confidence'] < LOW for r in good), len(good)):>22}")
    for r in rows:
        if r["f1"] < 0.5 or r["confidence"] < LOW:
            print(f"  {r['id']} half {r['half']} F1 {r['f1']:.2f} confidence "
                  f"{r['confidence']:.2f} {list(r['reasons'])}")


def paste_candidates(text: str) -> Iterator[Candidate]:
    """Pieces of a paste judged as ``text.py`` judges its choice: reader's own body,
    then runs of lines elsewhere in the paste (before and after the body, a window of
    the body alone, the whole paste)."""
    from reader.parse import lines
    from reader.parse.text import _body

    us, _, line_scores, body, aside = _body(text)
    if not us:
        return
    prose = sum(len(u.text) for i, u in enumerate(us) if lines.is_prose(u.text)
                and i not in aside)
    idx = [i for i, b in enumerate(body) if b]
    pieces: list[tuple[str, list[int]]] = []
    if idx:
        lo, hi = idx[0], idx[-1]
        pieces.append(("chosen", idx))
        pieces.append(("elsewhere", list(range(0, lo))))
        pieces.append(("elsewhere", list(range(hi + 1, len(us)))))
        n = len(idx)
        pieces.append(("part", idx[: max(1, n // 5)]))
        pieces.append(("part", idx[n // 2: n // 2 + 1]))
    pieces.append(("more", list(range(len(us)))))
    seen: set[tuple[str, ...]] = set()
    for kind, which in pieces:
        texts = [us[i].text for i in which if us[i].text.strip()]
        if not texts or tuple(texts) in seen or sum(map(len, texts)) < MIN_TEXT // 2:
            continue
        seen.add(tuple(texts))
        mask = [i in set(which) for i in range(len(us))]
        page = Page(prose, 0, sum(map(len, texts)),
                    lines_certainty=lines.certainty(us, line_scores, mask))
        yield Candidate(kind, texts, page)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path)
    ap.add_argument("--pasted", action="store_true", help="the pasted copies too")
    ap.add_argument("--save", type=Path, help="write every candidate's row to this JSONL")
    ap.add_argument("--limit", type=int, help="first N pages per dataset (smoke tests)")
    args = ap.parse_args()
    ev = harness(args.shared)
    rows: list[dict] = []
    outputs: list[dict] = []
    truths: dict[str, str] = {}
    for ds in ("aeb", "wcxb"):
        for pg in list(ev.load_pages(ds))[: args.limit]:
            html = ev.read_html(pg["html"])
            h = half(pg["id"])
            truths[pg["id"]] = pg["body"]
            for c in html_candidates(html):
                conf, reasons = c.judged()
                rows.append(dict(id=pg["id"], half=h, kind=c.kind, confidence=conf,
                                 reasons=reasons, big=c.big(), alone=c.alone()[0],
                                 texts=c.texts if args.save else None,
                                 f1=page_f1(ev, pg["body"], "\n\n".join(c.texts))))
            try:
                a = reader.parse(html, pg["url"], media_type="text/html")
                body, conf, reasons = "\n\n".join(a.paragraphs), a.confidence, a.warnings
            except ReaderError:
                body, conf, reasons = "", 0.0, ("no article text",)
            outputs.append(dict(id=pg["id"], half=h, confidence=conf, reasons=reasons,
                                f1=page_f1(ev, pg["body"], body)))
    candidate_table(rows)
    output_table("HTML", outputs)
    if args.pasted:
        data = args.shared / "data" / "pasted"
        truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
        pasted_rows, pasted_out = [], []
        for name in sorted(truth)[: args.limit and 2 * args.limit]:
            page_id = truth[name]["id"]
            text = (data / name).read_text(encoding="utf-8")
            h = half(page_id)
            for c in paste_candidates(text):
                conf, reasons = c.judged()
                alone = c.alone()[0]
                f1 = page_f1(ev, truth[name]["body"], "\n\n".join(c.texts))
                pasted_rows.append(dict(id=page_id, half=h, kind=c.kind, confidence=conf,
                                        reasons=reasons, big=c.big(), alone=alone, f1=f1))
            try:
                a = reader.parse(text, media_type="text/plain")
                body, conf, reasons = "\n\n".join(a.paragraphs), a.confidence, a.warnings
            except ReaderError:
                body, conf, reasons = "", 0.0, ("no article text",)
            pasted_out.append(dict(id=page_id, half=h, confidence=conf, reasons=reasons,
                                   f1=page_f1(ev, truth[name]["body"], body)))
        print("\nPasted text:")
        candidate_table(pasted_rows)
        output_table("Pasted", pasted_out)
        rows += [dict(r, source="pasted") for r in pasted_rows]
    if args.save:
        with args.save.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
