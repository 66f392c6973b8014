"""The boilerplate rules, loaded once from ``reader/data/boilerplate.toml``.

Rules are data so they can be read and extended without touching the parser.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from reader.parse.captions import credit_class_tokens

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "boilerplate.toml"
_SPLIT = re.compile(r"[^a-z0-9]+")
# Counts and punctuation around a heading's words ("(12)", "109", ":", "...").
_COUNT = re.compile(r"[\d\W_]+(?<!')(?!')", re.UNICODE)


@dataclass(frozen=True)
class Rules:
    """Furniture patterns for HTML elements and for lines of plain text."""

    furniture_tags: frozenset[str]
    """Tags whose whole subtree is furniture (nav, aside, footer...)."""
    skip_tags: frozenset[str]
    """Tags never read: scripts, controls, media."""
    furniture_roles: frozenset[str]
    """ARIA roles that mark furniture."""
    tokens: frozenset[str]
    """Class/id tokens that mark furniture."""
    phrases: tuple[str, ...]
    """Substrings of the dash-joined class/id tokens that mark furniture."""
    caption_tokens: frozenset[str]
    summary_tokens: frozenset[str]
    body_tokens: tuple[str, ...]
    disclosure_tokens: frozenset[str]
    """Tokens of a collapsed part of the article (an accordion): never furniture."""
    furniture_lines: frozenset[str]
    """Whole lines of plain text that are furniture, lower-case."""
    starts: tuple[str, ...]
    """Openings of short body paragraphs that are calls to action ("Read more: ...")."""
    starts_max: int
    comment_headings: frozenset[str] = frozenset()
    """Headings over readers' comments, lower-case, without counts or punctuation."""
    comment_heading_starts: tuple[str, ...] = ()
    end_headings: re.Pattern[str] | None = None
    """Headings of what follows an article ("Related articles", "About the author")."""
    end_heading_words: int = 0

    def is_call_to_action(self, text: str) -> bool:
        """A short paragraph that opens like "Read more", "Sign up", "Follow us"."""
        return len(text) <= self.starts_max and text.lower().startswith(self.starts)

    def is_comment_heading(self, text: str) -> bool:
        """A heading over readers' comments: "109 Comments", "12 thoughts on X"."""
        if len(text) > 200:
            return False
        words = " ".join(_COUNT.sub(" ", text.lower()).split())
        if words in self.comment_headings:
            return True
        # "Responses to the crisis" heads a section of an article; "12 responses to" a thread.
        return text.lstrip()[:1].isdigit() and words.startswith(self.comment_heading_starts)

    def is_end_heading(self, text: str) -> bool:
        """A heading of what a page shows after its article: "You may also like",
        "About the author", "More from Science"."""
        return (self.end_headings is not None and len(text.split()) <= self.end_heading_words
                and bool(self.end_headings.fullmatch(" ".join(text.split()))))

    def classify(self, class_id: str) -> str | None:
        """``"furniture"``, ``"caption"``, ``"summary"``, ``"body"``, ``"disclosure"`` or
        None for a class-and-id string."""
        lowered = class_id.lower()
        tokens = [t for t in _SPLIT.split(lowered) if t]
        if not tokens:
            return None
        joined = "-".join(tokens)
        body, phrases = self._substrings
        if body is not None and body.search(joined):
            return "body"
        if not self.disclosure_tokens.isdisjoint(tokens):
            return "disclosure"
        if not credit_class_tokens().isdisjoint(tokens):
            return "furniture"  # photo credits are never part of a caption
        if not self.caption_tokens.isdisjoint(tokens) or "caption" in joined:
            return "caption"
        if not self.tokens.isdisjoint(tokens) or (phrases is not None and phrases.search(joined)):
            return "furniture"
        if not self.summary_tokens.isdisjoint(tokens):
            return "summary"
        return None

    @cached_property
    def _substrings(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """``body_tokens`` and ``phrases`` each as one pattern that finds any of them in
        a string (None for none): one search instead of a test per entry."""
        return _any_of(self.body_tokens), _any_of(self.phrases)


def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The rules from the bundled data file (read once per process)."""
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    html, text = data["html"], data["text"]
    return Rules(
        furniture_tags=frozenset(html["furniture_tags"]),
        skip_tags=frozenset(html["skip_tags"]),
        furniture_roles=frozenset(html["furniture_roles"]),
        tokens=frozenset(html["tokens"]),
        phrases=tuple(html["phrases"]),
        caption_tokens=frozenset(html["caption_tokens"]),
        summary_tokens=frozenset(html["summary_tokens"]),
        body_tokens=tuple(html["body_tokens"]),
        disclosure_tokens=frozenset(html["disclosure_tokens"]),
        furniture_lines=frozenset(" ".join(x.lower().split()) for x in text["furniture_lines"]),
        starts=tuple(html["starts"]),
        starts_max=int(html["starts_max"]),
        comment_headings=frozenset(html["comment_headings"]),
        comment_heading_starts=tuple(html["comment_heading_starts"]),
        end_headings=re.compile(rf"(?:{'|'.join(html['end_headings'])})\W*", re.I),
        end_heading_words=int(html["end_heading_words"]),
    )
