"""Prose paragraphs of translated manual pages, as test text for bench/langid.py.

    python bench/man_paragraphs.py OUT [--man-root /usr/share/man] [--per-lang 300]

Needs groff and the translated pages (Debian: ``apt-get install groff-base manpages
manpages-de manpages-fr manpages-es manpages-it manpages-nl manpages-pl manpages-pt-br
manpages-ru``). Writes ``OUT/<lang>.txt``, one paragraph a line: lines of at least 15
words from up to 4 paragraphs a page, mostly letters, without command syntax. Pages
are taken in a fixed shuffled order, so the same packages give the same files.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import subprocess
from pathlib import Path

FOLDERS = {"de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "nl": "nl",
           "pt": "pt_BR", "ru": "ru", "en": ""}  # fmt: skip
_SYNTAX = re.compile(r"[/\\_=<>{}$|]|--|\w\(\d")


def paragraphs(page: Path) -> list[str]:
    source = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
    text = subprocess.run(
        ["groff", "-k", "-Tutf8", "-man", "-rLL=3000n", "-P-cbou"],
        input=source, capture_output=True, text=True, timeout=20,
    ).stdout  # fmt: skip
    out = []
    for line in text.splitlines():
        s = " ".join(line.split())
        if len(s.split()) < 15 or len(s) > 700 or _SYNTAX.search(s):
            continue
        if sum(c.isalpha() or c.isspace() for c in s) / len(s) >= 0.9:
            out.append(s)
        if len(out) >= 4:
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--man-root", type=Path, default=Path("/usr/share/man"))
    ap.add_argument("--per-lang", type=int, default=300)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for code, folder in FOLDERS.items():
        pages = sorted((a.man_root / folder).glob("man[1578]/*.gz"))
        random.Random(7).shuffle(pages)
        found: list[str] = []
        for page in pages[:400]:
            try:
                found.extend(paragraphs(page))
            except (OSError, subprocess.SubprocessError):
                continue
            if len(found) >= a.per_lang:
                break
        (a.out / f"{code}.txt").write_text("\n".join(found) + "\n", encoding="utf-8")
        print(code, len(found))


if __name__ == "__main__":
    main()
