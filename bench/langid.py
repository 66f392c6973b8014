"""Language identification: reader's languages of blocks and whole articles, on a test
set built from text files of known language, with the declared language wrong on some
pages; time per article, memory and install size of the detector.

    python bench/langid.py DATA/*.txt [DATA/multi_*.json ...] [--seed 1]

A ``.txt`` file holds one paragraph a line in the language its name says (``de.txt``;
``bench/man_paragraphs.py`` makes such files); a ``.json`` file is a list of cases
``{"text"}`` whose language is the part of its name after the last ``_``
(``multi_de.json``). Measured:

- blocks: ``reader.language.detect`` on each paragraph, on each JSON case, and on a
  4-10-word piece of each paragraph (the short blocks a page has);
- articles: pages of 8 paragraphs of one language (from the .txt files) parsed by
  ``reader.parse.parse``; a third declare the right language, a third a wrong one (the
  next language in the list, or a wrong ``Content-Language`` header), a third nothing;
  the page's language is right when its primary subtag is the text's. Next to it, what
  the declarations alone give (reader before the detector);
- switches: English pages with one paragraph of another language put in the middle:
  how often that block gets its own language, and how many English blocks get one;
- time of ``reader.language.settle`` per article, the detector's load time and memory,
  and the size of the installed package.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from importlib.util import find_spec
from pathlib import Path

from reader.language import detect, normalize, settle
from reader.model import Article, Block
from reader.parse import parse


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def page(paragraphs: list[str], lang: str | None) -> str:
    head = "<title>Article</title>"
    attr = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html{attr}><head>{head}</head><body><article>"
        f"<h1>{paragraphs[0][:60]}</h1>{body}</article></body></html>"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    paras: dict[str, list[str]] = {}
    cases: list[tuple[str, str]] = []
    for path in a.files:
        if path.suffix == ".json":
            lang = path.stem.rsplit("_", 1)[-1]
            cases += [(c["text"], lang) for c in json.loads(path.read_text(encoding="utf-8"))]
        else:
            paras[path.stem] = [x for x in path.read_text(encoding="utf-8").splitlines() if x]

    m0, t0 = rss_mb(), time.perf_counter()
    detect("load the model")
    load, memory = time.perf_counter() - t0, rss_mb() - m0
    spec = find_spec("py3langid")
    assert spec is not None and spec.origin is not None
    size = sum(p.stat().st_size for p in Path(spec.origin).parent.rglob("*") if p.is_file())

    def accuracy(items: list[tuple[str, str]]) -> tuple[int, int]:
        ok = sum((g.code if (g := detect(t)) else None) == normalize(y) for t, y in items)
        return ok, len(items)

    short = []
    for lang, ps in paras.items():
        for p in ps:
            w = p.split()
            k = rng.randint(4, 10)
            i = rng.randint(0, max(0, len(w) - k))
            short.append((" ".join(w[i : i + k]), lang))
    rows = [
        ("blocks: paragraphs", accuracy([(p, lang) for lang, ps in paras.items() for p in ps])),
        ("blocks: 4-10 words", accuracy(short)),
    ]
    if cases:
        rows.append((f"blocks: cases in {len({y for _, y in cases})} languages", accuracy(cases)))

    langs = sorted(paras)
    counts = {"right": [0, 0, 0], "wrong": [0, 0, 0], "none": [0, 0, 0]}
    settle_time, articles = 0.0, 0
    for lang in langs:
        ps = paras[lang]
        for n, i in enumerate(range(0, len(ps) - 7, 8)):
            group = ps[i : i + 8]
            kind = ("right", "wrong", "none")[n % 3]
            other = langs[(langs.index(lang) + 1) % len(langs)]
            declared = {"right": lang, "wrong": other, "none": None}[kind]
            header = other if kind == "wrong" and n % 2 else None
            html = page(group, None if header else declared)
            article = parse(html, media_type="text/html", language=header)
            got = normalize(article.language)
            counts[kind][0] += got == lang
            counts[kind][1] += normalize(declared) == lang  # the declarations alone
            counts[kind][2] += 1
            bare = Article(tuple(Block("paragraph", p) for p in group))
            t = time.perf_counter()
            settle(bare, [declared] if declared else [])
            settle_time += time.perf_counter() - t
            articles += 1

    switched = missed = false_switch = english_blocks = 0
    english = paras.get("en", [])
    for lang in langs:
        if lang == "en" or len(english) < 6:
            continue
        for i, foreign in enumerate(paras[lang][:60]):
            around = [english[(i * 5 + j) % len(english)] for j in range(4)]
            blocks = around[:2] + [foreign] + around[2:]
            article = parse(page(blocks, "en"), media_type="text/html")
            own = {b.text: b.language for b in article.blocks}
            if normalize(own.get(foreign)) == lang:
                switched += 1
            else:
                missed += 1
            for e in around:
                english_blocks += 1
                false_switch += own.get(e) is not None

    print(f"detector py3langid: {size / 2**20:.1f} MB installed, first use {load:.2f} s, "
          f"+{memory:.0f} MB memory")
    for name, (ok, n) in rows:
        print(f"{name:34} {ok}/{n} = {ok / n:.3f}")
    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    for kind, (ok, before, n) in [*counts.items(), ("all", tuple(total))]:
        print(f"articles, declared {kind:5}: reader {ok}/{n} = {ok / n:.3f}   "
              f"declarations alone {before}/{n} = {before / n:.3f}")
    print(f"switches: foreign block marked {switched}/{switched + missed}, "
          f"English blocks marked {false_switch}/{english_blocks}")
    print(f"time: settle {1000 * settle_time / articles:.1f} ms per article of 8 paragraphs")


if __name__ == "__main__":
    main()
