"""Text that was UTF-8 encoded twice, read as it was meant: for HTML pages and pasted
text alike (a copy keeps the page's mojibake)."""

from __future__ import annotations

import re

#: What bytes 0x80-0x9f turn into when UTF-8 is read as cp1252 or Latin-1.
_CP1252 = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_C1 = f"\u0080-\u009f{_CP1252}"
_CONT = f"[\u0080-\u00bf{_CP1252}]"
#: A UTF-8 sequence read one byte per character ("Investorâ€™s", "cafÃ©").
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)
_MOJIBAKE_SURE = re.compile(f"[\u00c2-\u00f4][{_C1}]")


def repair_mojibake(html: str) -> str:
    """Text that was UTF-8 encoded twice ("Investorâ€™s Guide") read as it was meant
    ("Investor’s Guide"), so the listener does not hear "a-circumflex euro". Only on a
    page that shows the sure sign of it, a lead byte before a C1 or cp1252 character:
    elsewhere "Ã©" could be meant."""
    # The lead bytes of most such text (Latin, Cyrillic, Hebrew, Arabic, punctuation, CJK), found
    # with a plain substring test first: the regex costs a whole pass per page.
    if not any(lead in html for lead in "ÂÃâÄÅÐÑ×ØÙãäåæçèé") or not _MOJIBAKE_SURE.search(html):
        return html
    return _MOJIBAKE.sub(_utf8_again, html)


def _utf8_again(m: re.Match[str]) -> str:
    text = m.group()
    try:
        raw = bytes(ord(c) if ord(c) < 256 else c.encode("cp1252")[0] for c in text)
        return raw.decode("utf-8")
    except UnicodeError:
        return text
