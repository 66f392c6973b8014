"""Page metadata: headline candidates, description, byline, date, language, site.

Sources, most trusted first: schema.org JSON-LD (``headline``, ``author``,
``datePublished``), Open Graph and other meta tags, then ``<title>``. The headline is
reconciled in ``headline()``: the visible h1 wins when it agrees with what the page
says its title is, so a site's logo in an h1 never becomes the headline.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from bs4.element import Tag

ARTICLE_TYPES = frozenset(
    "Article NewsArticle BlogPosting ReportageNewsArticle AnalysisNewsArticle "
    "OpinionNewsArticle ReviewNewsArticle BackgroundNewsArticle TechArticle "
    "ScholarlyArticle Report LiveBlogPosting SocialMediaPosting Posting Review "
    "Recipe HowTo".split()
)
_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•:»~/]|::)\s+")
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.I)
_JSONLD_TYPE = re.compile(r"ld\+json")


def jsonld_blocks(html: str, limit: int = 20) -> list[str]:
    """The texts of the first ``limit`` JSON-LD scripts. Found from their type
    attribute outwards, so the cost stays linear on any input, even unclosed tags."""
    blocks: list[str] = []
    pos = 0
    while len(blocks) < limit:
        m = _JSONLD_TYPE.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if html[m.start() - 12 : m.start()].lower() != "application/":
            continue
        lt = html.rfind("<", max(0, m.start() - 1000), m.start())
        gt = html.find(">", m.end(), m.end() + 1000)
        if lt < 0 or gt < 0 or not html[lt : lt + 7].lower() == "<script":
            continue
        end = _SCRIPT_CLOSE.search(html, gt + 1)
        if end is None:
            break
        blocks.append(html[gt + 1 : end.start()])
        pos = end.end()
    return blocks


@dataclass
class Meta:
    """What the page says about itself, outside its body text."""

    titles: list[str] = field(default_factory=list)
    """Headline candidates from JSON-LD, og:title and twitter:title, best first."""
    title: str | None = None
    """The ``<title>``, with the site's name still in it."""
    description: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    site: str | None = None


def read_meta(soup: BeautifulSoup, jsonld: list[str]) -> Meta:
    meta = Meta()
    _read_jsonld(meta, jsonld)
    root = soup.find("html")
    if isinstance(root, Tag):
        lang = root.get("lang") or root.get("xml:lang")
        if isinstance(lang, str) and lang.strip():
            meta.language = lang.strip()
    head = soup.find("head")
    props: dict[str, str] = {}
    if isinstance(head, Tag):
        for tag in head.find_all(("meta", "title")):
            if tag.name == "title":
                text = " ".join(html.unescape(tag.get_text()).split())
                if text and meta.title is None:
                    meta.title = text
                continue
            key = (tag.get("property") or tag.get("name") or tag.get("itemprop")
                   or tag.get("http-equiv"))
            content = tag.get("content")
            if isinstance(key, str) and isinstance(content, str) and content.strip():
                props.setdefault(key.strip().lower(), " ".join(html.unescape(content).split()))
    for key in ("og:title", "twitter:title", "sailthru.title", "parsely-title", "dc.title"):
        if key in props and props[key] not in meta.titles:
            meta.titles.append(props[key])
    meta.description = meta.description or props.get("og:description") or props.get("description")
    meta.site = meta.site or props.get("og:site_name") or props.get("application-name")
    if not meta.byline:
        author = props.get("author") or props.get("article:author") or props.get("byl")
        if author and not author.startswith(("http:", "https:")):
            meta.byline = author
    meta.published = meta.published or next(
        (props[k] for k in ("article:published_time", "datepublished", "date", "dc.date",
                            "pubdate", "publishdate", "sailthru.date") if k in props), None)
    if not meta.language:
        meta.language = props.get("content-language") or props.get("og:locale")
    return meta


def _read_jsonld(meta: Meta, blocks: list[str]) -> None:
    for raw in blocks:
        try:
            data = json.loads(raw.strip().removeprefix("<!--").removesuffix("-->"))
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the meta tags still speak
        for item in _items(data):
            types = item.get("@type")
            if isinstance(types, str):
                types = {types}
            else:
                types = {t for t in types or () if isinstance(t, str)}
            if not types & ARTICLE_TYPES:
                if "WebSite" in types and not meta.site and isinstance(item.get("name"), str):
                    meta.site = item["name"]
                continue
            headline = item.get("headline") or item.get("name")
            if isinstance(headline, str) and headline.strip() and not meta.titles:
                meta.titles.append(" ".join(html.unescape(headline).split()))
            if not meta.byline:
                meta.byline = _names(item.get("author"))
            date = item.get("datePublished") or item.get("dateCreated")
            if isinstance(date, str) and not meta.published:
                meta.published = date
            desc = item.get("description")
            if isinstance(desc, str) and desc.strip() and not meta.description:
                meta.description = " ".join(desc.split())
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                meta.site = meta.site or publisher["name"]


def _items(data, depth: int = 0):
    """Yield the dict nodes of JSON-LD: top level, lists and ``@graph``."""
    if depth > 4:
        return
    if isinstance(data, list):
        for x in data:
            yield from _items(x, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _items(data["@graph"], depth + 1)


def _names(author) -> str | None:
    authors = author if isinstance(author, list) else [author]
    names = []
    for a in authors:
        name = a.get("name") if isinstance(a, dict) else a
        if isinstance(name, str) and name.strip() and not name.startswith(("http:", "https:")):
            names.append(" ".join(name.split()))
    return ", ".join(dict.fromkeys(names)) or None


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def similarity(a: str, b: str) -> float:
    """Share of words in common, relative to the longer text (0..1)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    common = len(set(wa) & set(wb))
    return common / max(len(set(wa)), len(set(wb)))


def strip_site(title: str, site: str | None) -> str:
    """``"Headline | Site"`` -> ``"Headline"``: drop the ends that name the site, or
    when the site is unknown, a short last part after a separator."""
    for _ in range(3):
        seps = list(_SEPARATORS.finditer(title))
        if not seps:
            return title
        head, tail = title[: seps[-1].start()], title[seps[-1].end():]
        lead, rest = title[: seps[0].start()], title[seps[0].end():]
        if site and similarity(tail, site) >= 0.5 and len(tail) < len(head):
            title = head
        elif site and similarity(lead, site) >= 0.5 and len(lead) < len(rest):
            title = rest
        elif _DOMAIN.match(tail.strip()) and words(head):
            title = head  # "Headline | example.com"
        elif len(words(tail)) <= 4 and len(words(head)) >= 3:
            title = head
        else:
            return title
    return title


def headline(
    meta: Meta, h1: list[str], headings: list[str], h1_marked: Sequence[str] = ()
) -> str | None:
    """The article's own headline: the h1 that agrees best with the page's declared
    titles; else a heading that agrees closely; else the best declared title without
    the site's name; else the h1 nearest the body."""
    declared = [strip_site(t, meta.site) for t in meta.titles]
    if meta.title:
        declared.append(strip_site(meta.title, meta.site))
    declared = [d for d in declared if words(d)]
    h1 = [_strip_pipes(t) for t in h1 if _LETTER.search(t) and len(t) <= 300]

    def agreement(text: str) -> float:
        return max((similarity(text, d) for d in declared), default=0.0)

    marked = [_strip_pipes(t) for t in h1_marked if _LETTER.search(t) and len(t) <= 300]
    best = max(((agreement(t), -i, t) for i, t in enumerate(h1 + marked)), default=None)
    if best and best[0] >= 0.5:
        return best[2]
    close = max(((agreement(t), t) for t in headings if words(t)), default=None)
    if close and close[0] >= 0.8:
        return _strip_pipes(close[1])
    # A visible h1 that partly agrees is still the article's own words, the one nearest
    # the body first; one in furniture is not trusted that far.
    loose = next((t for t in h1 if agreement(t) >= 0.2), None)
    if loose:
        return loose
    if declared:
        return declared[0]
    return (h1 + marked)[0] if h1 + marked else None


def _strip_pipes(text: str) -> str:
    """A visible heading can carry the same suffixes as a title: "Headline | Opinion"."""
    parts = re.split(r"\s+[|·•]\s+", text)
    return parts[0] if len(parts) > 1 and len(words(parts[0])) >= 3 else text
