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
# Between words, a mark with spaces around it; in CJK titles, a full-width bar or an
# underscore or dash between CJK characters ("标题_新闻网", "見出し｜サイト").
_SEPARATORS = re.compile(
    r"\s+(?:[|\-–—·•:»«›‹>~/]|::|\|\|)\s+|\s*[｜│︱]\s*"
    r"|(?<=[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef])[_—－](?=[\u3000-\u9fff\uac00-\ud7af])"
)
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u9fff\uac00-\ud7af]")
_PIPES = re.compile(r"\s+[|·•]\s+")
#: What a lost character (a curly quote in the wrong encoding) is shown as.
_LOST = re.compile(r"[?\ufffd]")
_LETTER = re.compile(r"[^\W\d_]")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.I)
_JSONLD_TYPE = re.compile(r"ld\+json")


#: A UTF-16 surrogate pair written as JSON escapes (an emoji), or a lone half of one,
#: which JSON allows and no text can hold.
_LONE_SURROGATE = re.compile(
    r"(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _keep_pairs(m: re.Match[str]) -> str:
    return m.group(1) or "\\ufffd"


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
    """The first language the page declares (see ``declared``)."""
    declared: list[str] = field(default_factory=list)
    """Every language the page declares, most specific first: ``<html lang>``, JSON-LD
    ``inLanguage``, the ``Content-Language`` meta tag, ``og:locale``."""
    site: str | None = None
    article_body: str | None = None
    """The JSON-LD ``articleBody`` text, when the page declares one."""


def read_meta(soup: BeautifulSoup, jsonld: list[str]) -> Meta:
    meta = Meta()
    _read_jsonld(meta, jsonld)
    jsonld_languages, meta.declared = meta.declared, []
    root = soup.find("html")
    if isinstance(root, Tag):
        lang = root.get("lang") or root.get("xml:lang")
        if isinstance(lang, str) and lang.strip():
            meta.declared.append(lang.strip())
    meta.declared.extend(jsonld_languages)
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
    for key in ("content-language", "og:locale"):
        if props.get(key):
            meta.declared.append(props[key])
    meta.language = meta.declared[0] if meta.declared else None
    return meta


def _read_jsonld(meta: Meta, blocks: list[str]) -> None:
    for raw in blocks:
        try:
            raw = _LONE_SURROGATE.sub(_keep_pairs, raw)
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
            text = item.get("articleBody")
            if isinstance(text, str) and text.strip() and not meta.article_body:
                meta.article_body = html.unescape(text)
            lang = item.get("inLanguage")
            if isinstance(lang, dict):  # {"@type": "Language", "alternateName": "de"}
                lang = lang.get("alternateName") or lang.get("name")
            if isinstance(lang, str) and lang.strip():
                meta.declared.append(lang.strip())
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
        if len(seps) >= 2 and _breadcrumb(title, seps):
            return tail  # "Site | World | Africa | The headline"
        if site and similarity(tail, site) >= 0.5 and len(tail) < len(head):
            title = head
        elif site and similarity(lead, site) >= 0.5 and len(lead) < len(rest):
            title = rest
        elif _DOMAIN.match(tail.strip()) and words(head):
            title = head  # "Headline | example.com"
        elif _DOMAIN.match(lead.strip()) and words(rest):
            title = rest  # "example.com - Headline"
        elif len(tail.split()) <= 4 and len(words(head)) >= 3:
            title = head
        elif _CJK.search(tail) and len(tail.strip()) <= 12 < len(head.strip()) + 6:
            title = head  # a CJK title has no spaces between its words to count
        else:
            return title
    return title


def _breadcrumb(title: str, seps: list[re.Match[str]]) -> bool:
    """A title that is a path of short names ending in the headline, the longest part."""
    starts = [0] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [len(title)]
    sizes = [len(title[a:b].split()) for a, b in zip(starts, ends, strict=True)]
    return max(sizes[:-1]) <= 3 and sizes[-1] > max(sizes[:-1])


def headline(
    meta: Meta,
    h1: list[str],
    headings: list[str],
    h1_marked: Sequence[str] = (),
    top: str | None = None,
) -> str | None:
    """The article's own headline, from what the page shows, checked against what it
    declares (JSON-LD, og:title, <title>), in this order: the h1 that agrees best; a
    heading that agrees closely; an h1 that agrees in part; a visible heading that is
    one part of a declared title; a heading that agrees as well as an h1 must; the
    heading at the body's top when nothing is declared; the best declared title
    without the site's name; else the h1 nearest the body. A chosen h1 that is a declared
    title plus one word of styling gives way to that title (``_reworded``)."""
    raw = _complete([*meta.titles, *([meta.title] if meta.title else [])])
    declared = [d for d in (strip_site(t, meta.site) for t in raw) if words(d)]
    # An og:title that is only the site's name says nothing about this article.
    named = [d for d in declared if not (meta.site and similarity(d, meta.site) >= 0.8)]
    declared = named or declared
    h1 = [_strip_pipes(t, meta.site) for t in h1 if _LETTER.search(t) and len(t) <= 300]

    def agreement(text: str) -> float:
        return max((similarity(text, d) for d in declared), default=0.0)

    marked = [_strip_pipes(t, meta.site) for t in h1_marked
              if _LETTER.search(t) and len(t) <= 300]
    best = max(((agreement(t), -i, t) for i, t in enumerate(h1 + marked)), default=None)
    if best and best[0] >= 0.5:
        return _restore_lost(_reworded(best[2], declared) or best[2], raw)
    close = max(((agreement(t), i, t) for i, t in enumerate(headings) if words(t)), default=None)
    if close and close[0] >= 0.8:
        return _restore_lost(_strip_pipes(close[2], meta.site), raw)
    # A visible h1 that partly agrees is still the article's own words, the one nearest
    # the body first; one in furniture is not trusted that far, nor is a paragraph set
    # as an h1 (a sentence many times longer than any title the page declares).
    longest = max((len(words(d)) for d in declared), default=0)
    loose = next((t for t in h1 if agreement(t) >= 0.2 and len(words(t)) <= 2 * longest + 6),
                 None)
    if loose:
        return _restore_lost(loose, raw)
    # A visible heading that is one part of a title ("Site | World | The headline"),
    # the one nearest the body; the site's own name is not.
    parts = {" ".join(words(p)) for t in raw for p in _runs(t)
             if not (meta.site and similarity(p, meta.site) >= 0.5)} - {""}
    shown = [t for t in h1 + headings[::-1] if len(words(t)) >= 2 and " ".join(words(t)) in parts]
    if shown:
        return _restore_lost(_strip_pipes(shown[0], meta.site), raw)
    # Without such an h1, a heading that agrees as well as an h1 must: the headline of
    # a page that sets it as h2 or in a styled <div>, the one nearest the body on a tie.
    if close and close[0] >= 0.5:
        return _restore_lost(_strip_pipes(close[2], meta.site), raw)
    # A page that declares no title and has no h1: the heading at the top of the body
    # stands where a headline stands.
    if top and _LETTER.search(top) and not declared and not h1:
        return _strip_pipes(top, meta.site)
    if declared:
        # JSON-LD headlines are often cut near 110 characters: the same words said in
        # full by another declared title win.
        first = words(declared[0])
        return next((d for d in declared[1:] if len(declared[0]) >= 90
                     and len(words(d)) > len(first) and words(d)[: len(first)] == first),
                    declared[0])
    return (h1 + marked)[0] if h1 + marked else None


def _reworded(shown: str, declared: list[str]) -> str | None:
    """The declared title that is the shown headline less one word ("The Best Scooters
    of 2025" shown, "Best Scooters of 2025" declared; "Hubs Tested by Our Editors" and
    "Hubs Tested by Editors"; "&" declared for a shown "and"), if any: the page's plain
    name for the article, which it gives to tabs, bookmarks and links, where the heading
    on show adds a word of styling. Not when the word left out is a number (a year
    updated on the page and not in its metadata), nor when it is the last word (a title
    cut short to fit)."""
    said = words(shown)
    for d in declared:
        less = words(d)
        if len(less) == len(said) - 1 and any(
            said[:i] + said[i + 1 :] == less and not said[i].isdigit()
            for i in range(len(said) - 1)
        ):
            return d
    return None


def _complete(titles: list[str]) -> list[str]:
    """Declared titles without the ones cut short ("A long headline that…") when
    another one says it in full."""
    out = []
    for t in titles:
        stem = t.rstrip(" .…").rstrip()
        cut = t.endswith(("…", "...")) and any(
            o != t and o.startswith(stem) and len(o) > len(stem) for o in titles)
        if not cut:
            out.append(t)
    return out


def _runs(title: str) -> list[str]:
    """Every run of consecutive parts of a title cut at its separators."""
    cuts = list(_SEPARATORS.finditer(title))
    if not cuts or len(cuts) > 8:
        return [title]
    starts = [0] + [m.end() for m in cuts]
    ends = [m.start() for m in cuts] + [len(title)]
    return [title[starts[i] : ends[j]] for i in range(len(starts)) for j in range(i, len(ends))]


def _restore_lost(text: str, titles: list[str]) -> str:
    """A heading whose curly quotes or accents came out as "?" ("Beginner? Guide"), or
    set in capitals: the declared title that reads the same with those characters
    intact, or in ordinary case, if any."""
    if text.isupper() and len(words(text)) >= 3:
        same = words(text)
        return next((p.strip() for t in titles for p in _runs(t)
                     if not p.isupper() and words(p) == same), text)
    lost = len(_LOST.findall(text[:-1]))
    if not lost or lost > 4:
        return text  # more than a few: a line of "???", and the pattern would backtrack
    pattern = re.compile(
        r"[^\s?]{1,3}".join(re.escape(p) for p in _LOST.split(text.rstrip("?"))) + r"\??",
        re.I,
    )
    for t in titles:
        for part in _runs(t):
            part = part.strip()
            if pattern.fullmatch(part) and not _LOST.search(part[:-1]):
                return part
    return text


def _strip_pipes(text: str, site: str | None = None) -> str:
    """A visible heading can carry the same suffixes as a title: "Headline | Opinion".
    Only short ends are dropped (or the site's name): "A | B" with a long B is one
    headline in two parts."""
    cuts = list(_PIPES.finditer(text))
    end = len(text)
    while cuts:
        last, head = text[cuts[-1].end() : end], text[: cuts[-1].start()]
        if len(head.split()) < 3 or not (
            len(last.split()) <= 4 or (site and similarity(last, site) >= 0.5)
        ):
            break
        end = cuts.pop().start()
    return text[:end]
