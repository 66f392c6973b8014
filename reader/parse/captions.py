"""Image captions: what is a caption, a photo credit or a label, for HTML and plain text.

The rules (credit words, picture agencies, gallery labels) are data, in
``reader/data/captions.toml``. Three questions a parser may ask of a caption's text:

- ``is_label(text)``: the whole text is a control or label ("Advertisement", "Image 1 of
  5", "Show Caption", "Image caption"), never read.
- ``is_credit(text)``: the whole text is a photo credit ("Photo: Jane Doe", "Jaafar
  ASHTIYEH / AFP", "Image by X from Pixabay", "© 2019 Jon Norris"), never read.
- ``split_credit(text) -> (caption, credit)``: a caption with a credit run into its end
  ("Storm over the bay. Photo: Jane Doe", "Fans cheer (AP Photo/John Lee)", "Catalina
  Island | © 2017 Jon Norris") cut in two; ``credit`` is None when there is none, and
  ``caption`` is "" when the whole text is a credit.

``caption_text(text)`` combines them: the text to read for a caption, or None. A credit
named inside the caption's own sentence ("A camera used by Joshua Waller.") is part of
the caption and stays.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reader.segment import words

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "captions.toml"

#: Where a credit may begin inside a caption: after a sentence's end, a separator
#: ("|", "•", a spaced dash), before a final bracketed group or a © sign (and, see
#: ``_Rules.cut``, before a credit label such as "Credit...").
_CUT = (
    r"(?<=[.!?…])[\"'”’)\]]?\s+(?=\S)"
    r"|\s*(?:[|•·‖]|\s[-–—]{1,2}\s)\s*"
    r"|\s+(?=[(\[][^()\[\]]{1,120}[)\]]\W*$)"
    r"|\s*(?=©)"
)
_WS = re.compile(r"\s+")
#: A gallery counter: "Image 1 of 5", "Photo 3/9", "1 of 12", "Slide 2 of 10".
_COUNTER = re.compile(
    r"^(?:(?:image|photo|picture|slide|item|foto|bild)\s*)?\d{1,3}\s*(?:of|/|von|de|sur)\s*\d{1,3}$",
    re.I,
)
#: An expand control inside a caption ("... [+]"), where the caption was cut short.
_EXPAND = re.compile(r"\s*(?:\.\.\.|…)\s*\[\+\]\s*")
#: "Name / Outlet": two short runs of capitalised words around a slash, nothing else.
_NAME_SLASH = re.compile(
    r"^[(\[]?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}"
    r"(?:\s*/\s*[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){0,3}){1,3}[)\]]?$"
)
#: "Ricardo Labougle for Veranda": a name of two or three words, then the outlet.
_NAME_FOR = re.compile(
    r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,2}\s+for\s+[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3}$"
)
#: "Erica Reade Photography": a photographer's business name.
_STUDIO = re.compile(
    r"^(?:[\w'’.&-]+\s+){1,4}(?:photography|photographie|fotografie|fotografia|studios?)$", re.I
)
#: The punctuation and wrapping that a credit's label leaves ("(", "[", "|", "-").
_EDGE = " \t|•·‖-–—:;,[]"


@dataclass(frozen=True)
class _Rules:
    cut: re.Pattern[str]
    label_open: re.Pattern[str]
    phrase_open: re.Pattern[str]
    agency_end: re.Pattern[str]
    agency_only: re.Pattern[str]
    agency_start: re.Pattern[str]
    labels: frozenset[str]
    form: re.Pattern[str]
    form_max_words: int
    class_tokens: frozenset[str]
    image_box_tokens: frozenset[str]


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)  # longest first: "getty images" before "getty"
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    agencies = _alternation(data["agencies"])
    labels = _alternation(data["credit_labels"])
    phrases = _alternation([p for p in data["credit_phrases"] if " " in p])
    return _Rules(
        # A label or phrase inside a caption opens a credit only when capitalised ("...
        # Monday Credit...X", "... the bay Photo by X"), not in a sentence ("the source:
        # a river").
        cut=re.compile(
            rf"{_CUT}|(?P<mid>\s+)(?=(?-i:[A-Z]))(?=(?:{labels})\s*(?::|\.{{2,}}|…)\s*\S|(?:{phrases})\s)",
            re.I,
        ),
        # "Photo: X", "Credit...X", "Photo : X", "Source - X", "(Image: X)".
        label_open=re.compile(
            rf"^[(\[]?(?:{labels})\s*(?::|\.{{2,}}|…|\s[-–—]\s)\s*\S",
            re.I,
        ),
        # "Photo by X", "Courtesy of X", "© 2019 X", "(c) X".
        phrase_open=re.compile(
            rf"^[(\[]?(?:{_alternation(data['credit_phrases'])})(?:\s|(?<=[©)])|$)", re.I
        ),
        # "... Name / Agency", "X/Reuters", "NASA via AP, File", "Name, Agency".
        # The name before the agency is a few words, with no sentence or bracket in it.
        agency_end=re.compile(
            rf"^[(\[]?(?:[^\s()\[\]!?]+\s+){{0,4}}[^\s()\[\]!?]*?\s*"
            rf"(?:/|\bvia\s|,\s|\bfor\s)\s*(?:{agencies})\b[^\w]*"
            rf"(?:,?\s*(?:file|pool|handout)\W*)?$",
            re.I,
        ),
        agency_only=re.compile(rf"^[(\[]?(?:{agencies})(?:\s*/\s*(?:{agencies}))*[)\]]?\W*$", re.I),
        # "(AP Photo/David Zalubowski)", "Reuters/Jane Doe".
        agency_start=re.compile(
            rf"^[(\[]?(?:{agencies})(?:\s+photo)?\s*/\s*[^.!?/]{{1,60}}[)\]]?\W*$", re.I
        ),
        labels=frozenset(_norm(x) for x in data["labels"]),
        form=re.compile(
            rf"^(?:{_alternation(data['form_starts'])})\b.*\b(?:{_alternation(data['form_words'])})\b",
            re.I,
        ),
        form_max_words=int(data["form_max_words"]),
        class_tokens=frozenset(data["credit_class_tokens"]),
        image_box_tokens=frozenset(data["image_box_tokens"]),
    )


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


def credit_class_tokens() -> frozenset[str]:
    """Class and id tokens that mark an element holding a photo credit."""
    return _rules().class_tokens


def image_box_tokens() -> frozenset[str]:
    """Class and id tokens that name an element holding one image (and its caption)."""
    return _rules().image_box_tokens


def is_label(text: str) -> bool:
    """True when the whole text is a label or control shown with an image, not a
    caption: "Advertisement", "Enlarge this image", "Image 1 of 5", "Show Caption",
    "Caption Close", "View image credit", "... [+]", "Image caption", a signup form's
    prompt. Case and surrounding punctuation do not matter."""
    r = _rules()
    t = _norm(text)
    bare = t.strip(" .:…!?()[]|•·-–—")
    if not bare or t in r.labels or bare in r.labels or _COUNTER.match(bare):
        return True
    if bare.replace(".", "").replace("…", "").strip() in ("[+]", "+", ""):
        return True
    words = bare.split()
    # Two labels side by side ("Caption Close", "Image Enlarge").
    if len(words) == 2 and all(w in r.labels for w in words):
        return True
    return len(words) <= r.form_max_words and bool(r.form.match(bare))


def is_credit(text: str) -> bool:
    """True when the whole text is a photo credit: it opens with a credit label
    ("Photo:", "Credit...", "Image credit:") or phrase ("Photo by", "Image via",
    "Courtesy of", "©"), names only a picture agency, or ends "Name / Agency" without a
    sentence before it."""
    r = _rules()
    t = _WS.sub(" ", text).strip()
    if not t:
        return False
    if r.label_open.match(t) or r.phrase_open.match(t) or r.agency_only.match(t):
        return True
    if len(t.split()) > 12:
        return False
    return any(
        p.match(t) for p in (r.agency_end, r.agency_start, _NAME_SLASH, _NAME_FOR, _STUDIO)
    )


def split_credit(text: str) -> tuple[str, str | None]:
    """``(caption, credit)``: the caption with a credit at its end cut off, and that
    credit without its label or brackets ("Photo: Jane Doe" -> "Jane Doe"); ``credit``
    is None when the text has none. When the whole text is a credit, ``caption`` is
    "". Whitespace is collapsed; nothing else in the caption changes."""
    t = _WS.sub(" ", text).strip()
    if is_credit(t):
        return "", _strip_credit(t)
    for m in _rules().cut.finditer(t):
        head, tail = t[: m.start()], t[m.end() :].lstrip(" |•·‖-–—")
        if not head.strip(_EDGE) or not tail:
            continue
        if m.group("mid") and (len(head.split()) < 3 or len(tail.split()) > 8):
            continue  # no punctuation marks the cut: only a short credit after a caption
        tail_credit = tail
        if tail.startswith(("(", "[")):
            tail_credit = tail.rstrip(" .")
        if is_credit(tail_credit):
            return head.rstrip(" |•·‖-–—"), _strip_credit(tail_credit)
    return t, None


def _strip_credit(credit: str) -> str:
    """The credit without its wrapping: brackets, a leading label ("Photo:"), a final
    full stop (kept after an abbreviation such as "Inc.")."""
    r = _rules()
    c = credit.strip()
    if c[:1] in "([" and c[-1:] in ")]":
        c = c[1:-1].strip()
    m = r.label_open.match(c)
    if m:
        c = c[m.end() - 1 :]
    if c.endswith(".") and not _abbreviation(c):
        c = c[:-1]
    c = c.strip(_EDGE)
    if c.count("(") != c.count(")"):
        c = c.strip("()")  # a bracket left over from the wrapping
    return c or credit.strip()


def _abbreviation(text: str) -> bool:
    """The text ends in an abbreviation's period ("Inc.", "Jr.", "J."), which stays."""
    last = text.rsplit(None, 1)[-1].rstrip(".").lower()
    w = words.load()
    return len(last) == 1 or any(last in s for s in (w.after, w.other, w.title, w.state))


def caption_text(text: str) -> str | None:
    """The part of a caption that is read, or None when nothing is: labels and credits
    are dropped, a credit run into the end is cut, and expand controls ("... [+]") are
    taken out."""
    t = _EXPAND.sub(" ", _WS.sub(" ", text)).strip()
    if not t or is_label(t):
        return None
    caption, _credit = split_credit(t)
    caption = caption.strip()
    if not caption or is_label(caption):
        return None
    return caption
