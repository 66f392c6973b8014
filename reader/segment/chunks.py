"""Long sentences -> speech chunks cut at natural pauses."""

from __future__ import annotations

import re

# Cuts are always at white space, so no chunk ever splits a word.
_CLAUSE = re.compile(r"(?<=[,;:)\]—–])\s|\s(?=[—–(]|--)")
_CONJUNCTION = re.compile(
    r"\s(?=(?:and|but|or|nor|yet|so|because|although|though|while|whereas|which|who|whom"
    r"|whose|where|when|unless|until|since|after|before|if|that)\b)"
)
_PREPOSITION = re.compile(
    r"\s(?=(?:in|on|at|for|with|from|by|to|into|over|after|during|under|about|against"
    r"|between|through|across|without|within)\b)"
)
_NOT_AFTER_ARTICLE = re.compile(r"(?<!\b[Tt]he)(?<!\b[Aa])(?<!\b[Aa]n)(?<!\bof)\s")
_SPACE = re.compile(r"\s")


def chunk(sentence: str, limit: int) -> tuple[str, ...]:
    """``sentence`` cut into pieces of at most ``limit`` characters: at clause
    punctuation first, then before a conjunction, then before a preposition, then at a
    space not after "the", "a" or "of", then at any space. A piece is longer
    than ``limit`` only when it is one word (no white space) longer than ``limit``.
    The pieces hold every non-space character of the sentence, in order."""
    if len(sentence) <= limit:
        return (sentence,)
    out: list[str] = []
    a, n = 0, len(sentence)
    while n - a > limit:
        cut = _cut(sentence, a, a + limit, limit)
        out.append(sentence[a:cut].rstrip())
        a = cut
        while a < n and sentence[a].isspace():
            a += 1
    if a < n:
        out.append(sentence[a:])
    return tuple(out)


def _cut(s: str, a: int, stop: int, limit: int) -> int:
    """Where to end the piece that starts at ``a`` (a white-space position)."""
    rest = len(s) - a
    lo = a + max(1, limit // 3)  # no piece much shorter than a third of the limit
    # When two pieces will do, cut near the middle so the last one is not a stub.
    aim = a + rest // 2 if rest <= 2 * limit else stop
    if rest <= 2 * limit:
        lo = max(lo, len(s) - limit)
    for pattern in (_CLAUSE, _CONJUNCTION, _PREPOSITION, _NOT_AFTER_ARTICLE, _SPACE):
        best = None
        for found in pattern.finditer(s, lo, stop + 1):
            if best is None or abs(found.start() - aim) <= abs(best - aim):
                best = found.start()
        if best is not None:
            return best
    early = _SPACE.search(s, a + 1, stop + 1)  # only a long first word left: any earlier space
    if early is not None:
        return early.start()
    after = _SPACE.search(s, stop)  # one word longer than the limit: it stays whole
    return after.start() if after else len(s)
