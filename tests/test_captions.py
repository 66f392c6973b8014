"""Image captions: photo credits and labels are never read as captions, real captions
are read once and whole. Table tests of ``reader.parse.captions`` (the rules that HTML
and pasted-text parsing share) and of whole pages through ``reader.parse``."""

from __future__ import annotations

import pytest

import reader
from reader.parse import captions

BODY = "".join(
    f"<p>The harbour wall was rebuilt over the winter, and paragraph {n} of this story "
    "says how the town paid for it and what the fishermen think of the work.</p>"
    for n in range(4)
)


def page(inner: str) -> str:
    return (f"<html><head><title>Wall</title></head><body><article><h1>Wall</h1>{inner}{BODY}"
            "</article></body></html>")


# (caption as printed, caption to read, credit cut from it)
SPLITS = [
    # credit labels and keywords run into the end of a caption
    ("President Biden speaks in Ohio. Credit...Doug Mills/The New York Times",
     "President Biden speaks in Ohio.", "Doug Mills/The New York Times"),
    ("President Biden speaks in Ohio Credit...Doug Mills/The New York Times",
     "President Biden speaks in Ohio", "Doug Mills/The New York Times"),
    ("GoPro Hero12 Black with bike mount. Photo: GoPro", "GoPro Hero12 Black with bike mount.",
     "GoPro"),
    ("Homestead gardens in the drought belt. Photo : BSS", "Homestead gardens in the drought belt.",
     "BSS"),
    ("Crowds on the quay. Photograph: Jane Doe/The Guardian", "Crowds on the quay.",
     "Jane Doe/The Guardian"),
    ("Shot on the Canon R5. Photo Credit: Alec Sills-Trausch", "Shot on the Canon R5.",
     "Alec Sills-Trausch"),
    ("The royal couple arrive (Image: GETTY)", "The royal couple arrive", "GETTY"),
    ("A drone view of the flooded town. Mikolette / Getty Images",
     "A drone view of the flooded town.", "Mikolette / Getty Images"),
    ("Troops on patrol near the border. Jane Doe/Reuters", "Troops on patrol near the border.",
     "Jane Doe/Reuters"),
    ("Unsold cars sit at a dealership. (AP Photo/David Zalubowski)",
     "Unsold cars sit at a dealership.", "AP Photo/David Zalubowski"),
    ("Protesters gather to oppose it. Jaafar ASHTIYEH / AFP", "Protesters gather to oppose it.",
     "Jaafar ASHTIYEH / AFP"),
    ("A desk by the window. Photo by Jane Doe on Unsplash", "A desk by the window.",
     "Photo by Jane Doe on Unsplash"),
    ("A field of sunflowers. Image by Gerd Altmann from Pixabay", "A field of sunflowers.",
     "Image by Gerd Altmann from Pixabay"),
    ("Lung tissue under the microscope. Courtesy of Andrew Vaughan",
     "Lung tissue under the microscope.", "Courtesy of Andrew Vaughan"),
    ("Catalina Island, CA | © 2019 Jon Norris", "Catalina Island, CA", "© 2019 Jon Norris"),
    ("The variety of pastries. | Photo by Lisa Jennings", "The variety of pastries.",
     "Photo by Lisa Jennings"),
    ("A home battery storage system. Image via Ben Paulos.", "A home battery storage system.",
     "Image via Ben Paulos"),
    ("Untitled Film Still #21, 1978. Image courtesy the artist.", "Untitled Film Still #21, 1978.",
     "Image courtesy the artist"),
    ("Astronauts at work on the station (NASA via AP, File)", "Astronauts at work on the station",
     "NASA via AP, File"),
    ("I liked the grid. Source: Website Builder Expert", "I liked the grid.",
     "Website Builder Expert"),
    ("The old mill at dusk. File photo", "The old mill at dusk.", "File photo"),
    ("US troops remain in Afghanistan [File: Reuters]", "US troops remain in Afghanistan",
     "Reuters"),
    ("The first map of Titan. (NASA/JPL-Caltech/ASU)", "The first map of Titan.",
     "NASA/JPL-Caltech/ASU"),
    ("A hammock by the lake. – photo credit: casey handley (cleverhiker.com)",
     "A hammock by the lake.", "casey handley (cleverhiker.com)"),
    ("Sunset over the bay Photo by Jane Doe", "Sunset over the bay", "Photo by Jane Doe"),
]

# Captions that must be read whole: no credit is cut from them.
WHOLE = [
    "Fujifilm X-S20 being used by Joshua Waller.",  # a photographer inside the sentence
    "The plant was bought last year by Acme Inc.",  # ends in an abbreviation
    "In this Dec. 12, 2006, file photo, made available by NASA, astronauts work in orbit.",
    "The Rule of Thirds | Sylt, Germany",  # a pipe inside the caption, no credit after it
    "A view of the source: the river as it leaves the glacier",
    "Figure 1. Gas consumption per block, averaging 18.3 MGas.",
    "Apple iPhone 11 Pro.",
    "Doobie Brothers",
    "Subscribers wait in line for the new phone.",  # not a signup form's heading
    "The newsletter's founder at her desk",
    "Photographers gather outside the court.",
    "Gifts for Mom",
    "He took a photo by the lake.",
    "The Image Courtesy of the Museum show opens Friday",  # a long run after "Courtesy"
]

# Texts that are a credit and nothing else.
CREDITS = [
    "Credit...Doug Mills/The New York Times", "Photo: Jane Doe", "Photograph: Jane Doe",
    "Photo credit: Jane Doe", "Image credit: Eurogamer", "Image Source: Neil Godwin / Future",
    "(Image: GETTY)", "Mikolette / Getty Images", "Jane Doe/Reuters", "(AP Photo/David Zalubowski)",
    "Jaafar ASHTIYEH / AFP", "Photo by Jane Doe on Unsplash", "Image by Gerd Altmann from Pixabay",
    "Courtesy of Andrew Vaughan", "Courtesy Fraenkel Gallery", "© 2019 Jon Norris",
    "Image via Ben Paulos", "Photo courtesy Method Architecture", "File photo", "Getty Images",
    "Shutterstock", "Jason Cipriani/ZDNet", "NASA via AP, File", "Photo : BSS",
    "Photo illustration by Jane Doe", "REUTERS/Jane Doe", "Jane Doe, STF / Associated Press",
    "Ricardo Labougle for Veranda", "Erica Reade Photography",
]

LABELS = [
    "Advertisement", "ADVERTISEMENT", "Enlarge this image", "Image", "Video", "Gallery",
    "Image 1 of 5", "Photo 3/9", "1 of 12", "Show Caption", "Hide caption", "Caption Close",
    "Caption", "Close", "View image credit", "... [+]", "[+]", "Image caption", "Image copyright",
    "Media caption", "Join my newsletter!", "Sign up for our newsletter", "Toggle caption",
    "Get the latest updates in your inbox", "Source:",
]


@pytest.mark.parametrize(("text", "caption", "credit"), SPLITS)
def test_credit_is_cut_from_the_caption(text, caption, credit):
    assert captions.split_credit(text) == (caption, credit)
    assert captions.caption_text(text) == caption
    assert not captions.is_credit(caption)


@pytest.mark.parametrize("text", WHOLE)
def test_caption_stays_whole(text):
    assert captions.split_credit(text) == (text, None)
    assert captions.caption_text(text) == text
    assert not captions.is_credit(text) and not captions.is_label(text)


@pytest.mark.parametrize("text", CREDITS)
def test_a_credit_alone_is_never_a_caption(text):
    assert captions.is_credit(text)
    assert captions.split_credit(text)[0] == ""
    assert captions.caption_text(text) is None


@pytest.mark.parametrize("text", LABELS)
def test_a_label_is_never_a_caption(text):
    assert captions.is_label(text)
    assert captions.caption_text(text) is None


def test_expand_control_inside_a_caption_is_taken_out():
    text = "Workers assemble the first batch of ... [+] cars at the plant in Ohio."
    expected = "Workers assemble the first batch of cars at the plant in Ohio."
    assert captions.caption_text(text) == expected


def test_credit_wrapping_is_removed_but_an_abbreviation_kept():
    assert captions.split_credit("Boats at dawn. (Photo: Harbour Boats Inc.)") == (
        "Boats at dawn.", "Harbour Boats Inc.")
    assert captions.split_credit("Boats at dawn. Photo: Jane Doe.") == (
        "Boats at dawn.", "Jane Doe")


# Whole pages: (figure markup, captions read)
PAGES = [
    # credit in a classed element, in a <cite> glued to the caption, in a <small>
    ("<figure><img src='a.jpg'><figcaption>Waves over the wall. <span class='credit'>Photo: J. "
     "Smith/Agency</span></figcaption></figure>", ["Waves over the wall."]),
    ("<figure><img src='a.jpg'><figcaption>Phoenix Sky Harbor International Airport<cite>Wenjie "
     "Zheng / Shutterstock</cite></figcaption></figure>",
     ["Phoenix Sky Harbor International Airport"]),
    ("<figure><img src='a.jpg'><figcaption>Yamada earned its first star this year. <small>Photo by "
     "<a href='/p'>Ben Hon</a> for Resy</small></figcaption></figure>",
     ["Yamada earned its first star this year."]),
    # a caption and a separate attribution block with a label and a linked name
    ("<figure><img src='a.jpg'><figcaption><div class='media-caption'>Lobster served on a clam "
     "shell.</div><div class='media-extra'><p>Image: <a href='/x'>Brittany Garley</a></p></div>"
     "</figcaption></figure>", ["Lobster served on a clam shell."]),
    # figcaptions that hold only a credit or a label give no caption
    ("<figure><img src='a.jpg' alt='A man walks his dog along the beach at sunset'>"
     "<figcaption>Image credit: Eurogamer</figcaption></figure>", []),
    ("<figure><img src='a.jpg'><figcaption>Advertisement</figcaption></figure>", []),
    ("<div class='gallery'><img src='a.jpg'><div class='caption-controls'><p>Caption</p>"
     "<p>Close</p></div><div class='caption'>Image 1 of 5</div></div>", []),
    # alt text alone is not a caption; with a visible caption it is not read either
    ("<figure><img src='a.jpg' alt='Fishing boats moored at the northern quay at dawn'>"
     "</figure>", []),
    ("<figure><img src='a.jpg' alt='Boats at the quay in the early morning light'><figcaption>"
     "Boats at the quay.</figcaption></figure>", ["Boats at the quay."]),
    # a slideshow repeats its caption: read once
    ("<figure><img src='a.jpg'><figcaption>Storm over the bay. (AP Photo/Jane Doe)</figcaption>"
     "</figure><figure><img src='b.jpg'><figcaption>Storm over the bay. (AP Photo/Jane Doe)"
     "</figcaption></figure>", ["Storm over the bay."]),
    # a photographer named inside the caption's sentence stays
    ("<figure><img src='a.jpg'><figcaption>Fujifilm X-S20 being used by Joshua Waller."
     "</figcaption></figure>", ["Fujifilm X-S20 being used by Joshua Waller."]),
    # a line of text under an image, in a figure or a box named for the image, with no
    # caption element: the image's caption, its credit cut
    ("<figure><img src='a.jpg'><p>Astronauts at work on the space station. (NASA via AP, File)"
     "</p></figure>", ["Astronauts at work on the space station."]),
    ("<div class='image top'><img src='a.jpg'><p>Astronauts at work on the space station. "
     "(NASA via AP, File)</p></div>", ["Astronauts at work on the space station."]),
    ("<div class='media-item'><img src='a.jpg'><span class='score'>9.2</span></div>", []),
    # a table's caption titles the table: read as text, not as an image caption
    ("<table><caption class='caption'>Table 1: Rainfall by month</caption><tr><td>Jan</td>"
     "<td>30 mm</td></tr></table>", []),
]


@pytest.mark.parametrize(("markup", "expected"), PAGES)
def test_captions_of_a_page(markup, expected):
    article = reader.parse(page(markup))
    assert article.captions == expected
    spoken = " ".join(b.text for b in article.blocks)
    for credit in ("Smith/Agency", "Shutterstock", "Ben Hon", "Brittany", "Eurogamer", "AP Photo",
                   "Image 1 of 5", "Advertisement", "Fishing boats"):
        assert credit not in spoken
    assert len(article.paragraphs) >= 4  # no body text was taken for a caption


def test_table_caption_is_read_as_text():
    article = reader.parse(page("<table><caption>Table 1: Rainfall by month</caption>"
                                "<tr><td>Jan</td><td>30 mm</td></tr></table>"))
    assert "Table 1: Rainfall by month" in article.paragraphs


def test_lead_caption_above_the_headline_is_read():
    html = ("<html><body><figure><img src='a.jpg'><figcaption>The new harbour wall at high tide."
            "</figcaption></figure><article><h1>Wall</h1>" + BODY + "</article></body></html>")
    assert reader.parse(html).captions == ["The new harbour wall at high tide."]


def test_pasted_text_caption_loses_its_credit():
    caption = "Waves break over the harbour wall during the February storm. Photo: Jane Doe/Reuters"
    text = ("Harbour wall to be rebuilt\n\n" + f"{caption}\n\n{caption}\n\n"
            + "\n\n".join("The harbour wall was rebuilt over the winter, and the town paid for "
                          f"it in part {n}." for n in range(4)))
    article = reader.parse(text)
    assert article.captions == ["Waves break over the harbour wall during the February storm."]
    assert all("Jane Doe" not in b.text for b in article.blocks)


def test_pasted_text_credit_line_under_a_caption_is_not_read():
    caption = "Waves break over the harbour wall during the February storm."
    body = "\n\n".join(f"The harbour wall was rebuilt over the winter, part {n}." for n in range(4))
    credit = "Photo: Jane Doe/Reuters"
    text = f"Harbour wall to be rebuilt\n\n{caption}\n\n{caption}\n\n{credit}\n\n{body}"
    article = reader.parse(text)
    assert article.captions == [caption]
    assert all("Jane Doe" not in b.text for b in article.blocks)
    assert len(article.paragraphs) == 4


def test_credit_paragraph_under_a_caption_is_not_read():
    markup = ("<figure><img src='a.jpg'><figcaption>Waves over the wall.</figcaption></figure>"
              "<p>Photo: Jane Doe / Getty Images</p>")
    article = reader.parse(page(markup))
    assert article.captions == ["Waves over the wall."]
    assert all("Jane Doe" not in b.text for b in article.blocks)


def test_body_sentence_under_a_caption_is_read():
    markup = ("<figure><img src='a.jpg'><figcaption>The reopened park.</figcaption></figure>"
              "<p>Courtesy of the city, the park reopened on Monday.</p>")
    article = reader.parse(page(markup))
    assert "Courtesy of the city, the park reopened on Monday." in article.paragraphs
