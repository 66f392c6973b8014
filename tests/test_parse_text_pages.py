"""reader.parse on whole pages copied out of a browser: furniture around the article.

Each page is made of real-looking parts (a menu, a headline, a byline, prose, a caption
and its credit, tags, a cookie prompt, a footer) and goes through the real line model.
"""

from __future__ import annotations

import pytest

import reader
from reader.parse.confidence import LOW

BODY = [
    "The council voted on Tuesday to rebuild the harbour wall, which storms breached twice "
    "last winter and which fishermen say has not been repaired properly in forty years.",
    "Work begins in March and should take two years, the harbour master said, adding that "
    "boats would be moored in the outer basin while the old stones are lifted and replaced.",
    "Residents welcomed the decision but asked how the cost would be shared between the town, "
    "the county and the national fund for coastal defences, which has paid for similar work.",
    "Engineers will first survey the foundations, which were laid in the 1880s on a bed of "
    "timber piles that divers found rotten in several places during an inspection last year.",
    "The new wall will be a metre higher than the old one, enough, the engineers say, to "
    "hold back the kind of surge that flooded the lower town twice in the past decade.",
    "A public meeting to explain the plans will be held in the town hall next month, and "
    "the drawings can be seen in the library until the end of the year, the council said.",
]
HEADLINE = "Harbour wall to be rebuilt after winter storms"
CAPTION = "Waves break over the harbour wall during the February storm."
CREDIT = "Photo: Ann Lee/Harbour Gazette"

FURNITURE = {
    "menu": ["Home", "News", "Sport", "Business", "Weather", "Culture", "Travel", "Podcasts"],
    "site-switch": ["Switch site", "Harbour Gazette"],
    "dark-mode": ["Toggle dark mode"],
    "share": ["Share on Facebook", "Share on X", "Email", "Copy link", "Print"],
    "byline": ["By Tom Harris"],
    "dateline": ["Published March 3, 2025 at 9:15 am"],
    "counters": ["12 comments", "5 min read"],
    "tags": ["Tags", "harbour", "storms", "council", "coastal defences", "local news"],
    "cookie": [
        "We use cookies to improve your experience and to show you personalised adverts. "
        "Manage your cookie preferences or accept all cookies.",
        "Accept all",
        "Reject all",
    ],
    "footer": [
        "About us",
        "Contact",
        "Advertise",
        "Privacy policy",
        "Terms of use",
        "© 2025 Harbour Gazette Ltd. All rights reserved.",
    ],
}


def page(
    *,
    before: list[str] | None = None,
    after_headline: list[str] | None = None,
    after_body: list[str] | None = None,
    body: list[str] | None = None,
) -> str:
    lines = (
        ["Skip to main content"]
        + FURNITURE["site-switch"]
        + FURNITURE["menu"]
        + FURNITURE["dark-mode"]
        + (before or [])
        + [HEADLINE]
        + (after_headline or FURNITURE["byline"] + FURNITURE["dateline"] + FURNITURE["counters"])
        + FURNITURE["share"]
        + (body or BODY)
        + (after_body or FURNITURE["tags"] + FURNITURE["cookie"] + FURNITURE["footer"])
    )
    return "\n\n".join(lines) + "\n"


def parse(text: str) -> reader.Article:
    return reader.parse(text, media_type="text/plain")


def test_a_pasted_page_gives_the_headline_and_exactly_the_body():
    a = parse(page())
    assert isinstance(a, reader.Article)
    assert a.headline == HEADLINE
    assert a.paragraphs == BODY


@pytest.mark.parametrize("kind", sorted(FURNITURE))
def test_furniture_is_never_read(kind):
    a = parse(page())
    read = [b.text for b in a.blocks]
    for line in FURNITURE[kind]:
        assert line not in read, f"{kind}: {line!r} is read"


@pytest.mark.parametrize(
    "top",
    [["Switch site"], ["Harbour Gazette"], ["Local news from the coast"], ["News", "Local"]],
    ids=["switch-site", "site-name", "site-tagline", "breadcrumb"],
)
def test_headline_is_the_title_line_before_the_body_not_the_top_line(top):
    a = parse(page(before=top))
    assert a.headline == HEADLINE


def test_headline_directly_before_the_body():
    a = parse(page(after_headline=[]))
    assert a.headline == HEADLINE
    assert a.paragraphs == BODY


@pytest.mark.parametrize(
    "crumb",
    [f"Home News Local {HEADLINE}", f"12 comments on {HEADLINE}", f"HomeNewsLocal{HEADLINE}"],
    ids=["breadcrumb", "comment-count", "breadcrumb-run-together"],
)
def test_headline_is_its_own_line_not_the_line_that_ends_with_it(crumb):
    a = parse(page(before=[crumb]))
    assert a.headline == HEADLINE


@pytest.mark.parametrize("between", ["byline", "tags"])
def test_a_deck_that_restates_the_headline_is_not_the_headline(between):
    # The deck (or the first section heading) under the headline says it again in other
    # words and stands nearer the body; the headline is the first of the two.
    deck = "Why the harbour wall must be rebuilt before the next winter storms"
    a = parse(page(after_headline=FURNITURE[between] + [deck]))
    assert a.headline == HEADLINE


@pytest.mark.parametrize(
    ("shown", "read"),
    [
        (f"{HEADLINE} | Opinion", HEADLINE),
        (f"{HEADLINE} | Local News | Harbour Gazette", HEADLINE),
        # A second part longer than a site's name is part of the headline.
        (f"{HEADLINE} | What the council plans for the coast", None),
        # A date shown after the title is not part of it; a year inside it is.
        (f"{HEADLINE} / Dec 2025", HEADLINE),
        (f"{HEADLINE} - 2025", None),
    ],
    ids=["section", "section-and-site", "two-part-title", "dated", "year"],
)
def test_a_site_name_after_the_headline_is_not_read(shown, read):
    text = page().replace(f"\n{HEADLINE}\n", f"\n{shown}\n")
    assert parse(text).headline == (read or shown)


def test_byline_is_metadata_not_a_paragraph():
    a = parse(page())
    assert a.byline == "Tom Harris"
    assert "By Tom Harris" not in a.paragraphs


def test_caption_followed_by_its_credit_is_a_caption():
    body = BODY[:3] + [CAPTION, CREDIT] + BODY[3:]
    a = parse(page(body=body))
    assert a.captions == [CAPTION]
    assert a.paragraphs == BODY
    assert CREDIT not in [b.text for b in a.blocks]


def test_caption_twice_in_a_row_is_read_once():
    body = BODY[:2] + [CAPTION, CAPTION] + BODY[2:]
    a = parse(page(body=body))
    assert a.captions == [CAPTION]
    assert a.paragraphs == BODY


def test_a_paragraph_repeated_in_a_row_is_body_not_a_caption():
    """A long paragraph twice is not an image's alt text and caption: it stays body text."""
    body = BODY[:3] + [BODY[3], BODY[3]] + BODY[4:]
    a = parse(page(body=body))
    assert a.captions == []
    assert BODY[3] in a.paragraphs
    assert [p for p in a.paragraphs if p != BODY[3]] == BODY[:3] + BODY[4:]


def test_a_refrain_repeated_apart_is_read_each_time():
    refrain = "Nobody was hurt."
    body = BODY[:2] + [refrain] + BODY[2:4] + [refrain] + BODY[4:]
    a = parse(page(body=body))
    assert a.paragraphs.count(refrain) == 2


def test_short_lines_inside_the_body_are_kept():
    """A subheading and a list inside the prose are body, though short and unpunctuated."""
    body = BODY[:3] + ["What happens next", "Surveys in January", "Work from March"] + BODY[3:]
    a = parse(page(body=body))
    assert "What happens next" in a.paragraphs
    assert "Surveys in January" in a.paragraphs
    assert a.paragraphs[-1] == BODY[-1]


def test_certainty_is_lower_when_the_body_is_readers_comments():
    from reader.parse.text import text_certainty

    comments = []
    for n, line in enumerate(BODY[:4]):
        comments += [
            f"reader{n}",
            f"{n + 2} days ago at 08:1{n} am",
            line,
            f"Rating: {n + 3} Votes",
        ]
    clean = text_certainty(page())
    noisy = text_certainty(page(body=BODY[:1] + ["Comments"] + comments))
    assert 0.0 <= noisy < clean <= 1.0


def test_pasted_article_is_read_with_confidence():
    a = parse(page())
    assert a.confidence >= LOW
    assert a.warnings == ()


def test_pasted_comments_are_doubted():
    comments = []
    for n, line in enumerate(BODY[:4]):
        comments += [f"reader{n}", f"{n + 2} days ago", line, f"Rating: {n + 3} Votes"]
    a = parse(page(body=BODY[:1] + ["Comments"] + comments))
    assert a.confidence < LOW
    assert "the text could not be told apart from the page's menus and links" in a.warnings


def test_pasted_cookie_notice_is_doubted():
    cookie = [
        "We use cookies and similar technologies to improve your experience, measure traffic "
        "and show personalised ads; you can accept all cookies or manage your preferences.",
        "Necessary cookies keep the site working. Third-party cookies from our partners are set "
        "only with your consent, which you can withdraw at any time in the privacy settings.",
        "See our privacy policy and cookie policy for the full list of partners and the "
        "purposes for which each of them processes your data.",
    ]
    a = parse(page(body=cookie))
    assert a.confidence < LOW
    assert "looks like a cookie notice" in a.warnings


def test_whole_page_of_a_paste_is_every_line_in_order():
    text = page()
    a = reader.parse(text, media_type="text/plain", whole_page=True)
    lines = [" ".join(x.split()) for x in text.split("\n\n") if x.strip()]
    assert a.paragraphs == lines
    assert a.confidence == 1.0


def test_twice_encoded_utf8_in_a_paste_is_read_as_meant():
    broken = [p.replace("harbour", "harbourâ€™s") for p in BODY]
    a = parse(page(body=broken))
    assert any("harbour’s" in p for p in a.paragraphs)
    assert not any("â€" in p for p in a.paragraphs)


@pytest.mark.parametrize("title", ["Comments", "34 responses to “Harbour wall to be rebuilt”",
                                   "5 thoughts on “Harbour wall to be rebuilt”"])
def test_readers_comments_after_the_article_are_not_read(title):
    comments = []
    for n, line in enumerate(BODY[3:]):
        comments += [f"Reader {n} on March {n + 4}, 2025 at 10:1{n} am said:", line, "Reply"]
    a = parse(page(body=BODY[:3] + [title] + comments))
    assert a.paragraphs == BODY[:3]


def test_a_paste_of_nothing_but_comments_is_still_read():
    comments = []
    for n, line in enumerate(BODY):
        comments += [f"Reader {n} says:", line]
    a = parse("\n\n".join(["Comments"] + comments))
    assert BODY[0] in a.paragraphs


def test_comments_that_open_with_their_time_are_not_read():
    comments = ["[ 4 comments ]", "Top Rated Comments"]
    for n, line in enumerate(BODY[3:]):
        comments += [f"reader{n}", f"{n + 2} days ago at 07:5{n} am", line, f"Rating: {n} Votes"]
    a = parse(page(body=BODY[:3] + comments))
    assert a.paragraphs == BODY[:3]


def test_a_comment_counter_above_the_article_does_not_end_it():
    a = parse(page(after_headline=["12 comments", "March 3, 2025 at 9:15 am", "By Tom Harris"]))
    assert a.paragraphs == BODY


def test_a_list_of_teasers_after_the_article_is_not_read():
    teasers = []
    for n in range(4):
        title = f"Best harbour walks of 2025, part {n}"
        teasers += [title, title, f"We walked every harbour wall on the coast, number {n}, so "
                    "that you can choose the one that suits your legs and your dog."]
    a = parse(page(body=BODY + ["More guides"] + teasers))
    assert a.paragraphs == BODY
    assert a.captions == []


CARDS = [
    ("Ferry fares to rise in the spring", "Ann Lee", "Wednesday November 20, 2019",
     "The ferry company says fuel and wages have gone up and that fares must follow them, "
     "from the first sailing in April."),
    ("Lifeboat crew rescue two from sandbank", "Tom Harris", "Tuesday November 19, 2019",
     "Two walkers cut off by the tide were lifted from the sandbank at dusk, the crew said, "
     "cold but unhurt after an hour of waiting."),
    ("School roof repairs finished early", "Mary Cole", "Tuesday November 19, 2019",
     "Pupils will be back in their classrooms next week after builders finished the repairs "
     "to the storm-damaged roof ahead of time."),
    ("Market square to close for resurfacing", "Ann Lee", "Monday November 18, 2019",
     "Stallholders will move to the quay for six weeks while the old cobbles are lifted and "
     "relaid, the council said on Monday."),
]


def test_story_cards_after_the_article_are_not_read():
    # Title, author, date and summary of other stories, again and again.
    cards = [line for card in CARDS for line in card]
    a = parse(page(body=BODY, after_body=FURNITURE["tags"] + cards + FURNITURE["footer"]))
    assert a.paragraphs == BODY


def test_events_the_article_lists_with_their_dates_are_read():
    events = []
    for name, date in [("Harbour festival", "June 11-12, 2026"),
                       ("Lifeboat open day", "July 4, 2026"),
                       ("Sea wall walk", "August 9, 2026"),
                       ("Regatta", "September 1, 2026")]:
        events += [name, f"Date: {date}", f"The {name.lower()} will be held on the quay, and "
                   "the council says the new wall will be open to walkers by then."]
    a = parse(page(body=BODY[:3] + events + BODY[3:]))
    read = a.paragraphs
    assert all(e in read for e in events if e.startswith("The "))
    assert all(p in read for p in BODY)


def test_lines_filled_in_from_one_template_are_not_read():
    offers = [f"Free standard shipping on orders of {n} euros or more. For more information on "
              "shipping rates and timelines, please visit our international page."
              for n in (40, 60, 65, 110, 120)]
    a = parse(page(before=offers))
    assert a.paragraphs == BODY
    assert a.headline == HEADLINE


RELATED = [
    "Related articles",
    "Ferry fares to rise in the spring",
    "The ferry company says fuel and wages have gone up. Fares must follow them, from the "
    "first sailing in April, it said.",
    "Lifeboat crew rescue two from sandbank",
    "Two walkers cut off by the tide were lifted from the sandbank at dusk.",
    "About the author",
    "Tom Harris has covered the harbour and the coast for the Gazette since 2009. He lives "
    "in the lower town with his family and a very old boat.",
]


def test_what_a_page_shows_after_the_article_under_its_heading_is_not_read():
    a = parse(page(body=BODY + RELATED))
    assert a.paragraphs == BODY


@pytest.mark.parametrize("tail", [
    ["Was this article helpful?", "Yes No", "About Tom Harris",
     "Tom has covered the harbour and the coast for the Gazette since 2009, and he sails "
     "whenever the weather lets him."],
    ["Leave a Reply", "Your email address will not be published. Required fields are marked *",
     "Comment *", "Name *", "Email *",
     "Save my name, email, and website in this browser for the next time I comment."],
    ["Tagged:", "harbour, storms, council", "More from Harbour Gazette",
     "Ferry fares to rise in the spring",
     "The ferry company says fuel and wages have gone up and fares must follow them."],
], ids=["feedback-and-author", "comment-form", "tags-and-more-from"])
def test_feedback_prompts_comment_forms_and_tags_after_the_article_are_not_read(tail):
    a = parse(page(body=BODY + tail))
    assert a.paragraphs == BODY


MORE_BODY = [
    "Fishermen who moor in the inner harbour said they had waited years for the work, and "
    "that two boats had been holed on loose stones that fell from the wall in January.",
    "The harbour master said the outer basin could hold about forty boats, fewer than use "
    "the inner harbour in summer, so visiting yachts would be sent to the marina upstream.",
    "The county has promised a third of the cost, and the town will borrow the rest over "
    "twenty years, which the finance committee says will add little to the harbour dues.",
    "Divers will begin marking the rotten piles in February, before the first crane "
    "arrives, so that the engineers know where the new foundations must go deepest.",
]


def test_a_related_box_inside_the_article_does_not_end_it():
    # An inset of links after most of the article, then the article's own prose again.
    inset = ["Related stories", "Ferry fares to rise in the spring", "Lifeboat crew rescue two"]
    body = BODY + MORE_BODY
    a = parse(page(body=body[:7] + inset + body[7:]))
    assert a.paragraphs == body


PROMOS = [
    "Harbour walks",
    "Join our weekly harbour walks to see the new sea wall plans in person, and meet the "
    "engineers who drew them and the divers who surveyed the old foundations last year.",
    "Winter ferries",
    "Ferry timetables for the winter are out now, and sailings to the islands will be fewer "
    "until March. Check your sailing before you travel this weekend.",
    "Lifeboat day",
    "The lifeboat station opens its doors on Saturday, with rides in the inshore boat for "
    "children and a talk from the crew about the rescues of the past year.",
    "Help",
    "Sign in",
]


def test_prose_above_the_headline_past_furniture_is_not_read():
    # Promotions at the top of the page, then account links, then the article.
    a = parse(page(before=PROMOS, after_headline=FURNITURE["byline"]))
    assert a.headline == HEADLINE
    assert a.paragraphs == BODY



REVIEWS = [
    "“The best local paper I have read. They genuinely care about the town and it shows in "
    "every story.”",
    "Mallory R.",
    "Everyone at the Gazette has been great. It has been easy to get a story heard, and the "
    "reporters always call back.",
    "Brittany M.",
    "I read it every morning with my coffee. The harbour coverage this winter was the best "
    "on the coast, by a long way.",
    "Heather B.",
]


def test_quotes_signed_with_a_first_name_and_initial_are_reviews_not_read():
    a = parse(page(body=BODY + ["Kind words"] + REVIEWS))
    assert a.paragraphs[:len(BODY)] == BODY
    assert not set(REVIEWS) & set(a.paragraphs)


def test_an_article_that_quotes_people_in_its_sentences_is_read_whole():
    quoted = [p + " “We have waited long enough,” said Ann R. Lee, who runs the ferry."
              for p in BODY[:3]]
    a = parse(page(body=quoted + BODY[3:]))
    assert a.paragraphs == quoted + BODY[3:]


def test_a_long_block_after_the_article_does_not_make_reader_doubt_it():
    # More prose under "More stories" than in the article: set aside, not weighed
    # against the article as the page's own text.
    more = ["More stories"]
    for n, (title, *_rest, summary) in enumerate(CARDS * 4):
        more += [f"{title} ({n})", summary]
    a = parse(page(body=BODY, after_body=more + FURNITURE["footer"]))
    assert a.paragraphs == BODY
    assert a.confidence >= LOW, a.warnings
