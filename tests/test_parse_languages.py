"""Page furniture in other languages is left out, as it is in English; headline
separators of CJK titles are known."""

from __future__ import annotations

import pytest

from reader.parse import parse
from reader.parse.meta import strip_site

BODY = {
    "de": ["Der Bürgermeister sagte, die Stadt habe lange auf diese Entscheidung gewartet. "
           "Viele Pendler würden von der neuen Verbindung profitieren.",
           "Kritiker bemängeln dagegen die hohen Kosten und den Verlust von Grünflächen am "
           "Stadtrand, wo der neue Bahnhof entstehen soll."],
    "fr": ["Le maire a déclaré que la ville attendait cette décision depuis longtemps. "
           "De nombreux voyageurs profiteront de la nouvelle ligne.",
           "Les critiques soulignent plutôt le coût élevé et la perte d'espaces verts en "
           "périphérie, où la nouvelle gare doit être construite."],
    "es": ["El alcalde dijo que la ciudad había esperado mucho tiempo esta decisión. "
           "Muchos viajeros se beneficiarán de la nueva línea.",
           "Los críticos señalan en cambio el alto costo y la pérdida de zonas verdes en "
           "las afueras, donde se construirá la nueva estación."],
    "id": ["Wali kota mengatakan kota telah lama menunggu keputusan ini. Banyak penglaju "
           "akan mendapat manfaat dari jalur baru tersebut.",
           "Para pengkritik justru menyoroti biaya yang tinggi dan hilangnya ruang hijau di "
           "pinggiran kota, tempat stasiun baru akan dibangun."],
}  # fmt: skip
FURNITURE = {
    "de": ["Anzeige", "Lesen Sie auch: Neuer Fahrplan ab Dezember", "Teilen"],
    "fr": ["Publicité", "Lire aussi : Le nouveau plan de transport", "Partager"],
    "es": ["Publicidad", "Lee también: El nuevo plan de transporte", "Compartir"],
    "id": ["Iklan", "Baca juga: Jadwal baru kereta mulai Desember", "Bagikan"],
}


@pytest.mark.parametrize("lang", sorted(BODY))
def test_furniture_lines_in_other_languages_are_left_out(lang):
    first, second = BODY[lang]
    ad, read_also, share = FURNITURE[lang]
    html = (
        f'<html lang="{lang}"><head><title>T</title></head><body><article>'
        f"<h1>Eine Überschrift für die Seite</h1><p>{first}</p><p>{ad}</p>"
        f"<p>{read_also}</p><p>{second}</p><p>{share}</p></article></body></html>"
    )
    texts = [b.text for b in parse(html).blocks if b.kind == "paragraph"]
    assert texts == [first, second]


@pytest.mark.parametrize("lang", sorted(BODY))
def test_pasted_text_drops_the_same_lines(lang):
    first, second = BODY[lang]
    ad, _, share = FURNITURE[lang]
    text = f"{first}\n\n{ad}\n\n{second}\n\n{share}\n"
    assert all(ad not in b.text and b.text != share for b in parse(text).blocks)


def test_credits_in_other_languages_are_not_captions():
    html = (
        '<html lang="es"><head><title>T</title></head><body><article><h1>Titular</h1>'
        '<figure><img src="a.jpg"><figcaption>El alcalde en la estación. '
        "Fotografía: Juan Pérez</figcaption></figure>"
        f"<p>{BODY['es'][0]}</p><p>{BODY['es'][1]}</p></article></body></html>"
    )
    assert parse(html).captions == ["El alcalde en la estación."]


def test_cjk_title_separators():
    assert strip_site("市长视察新车站的建设进度_新浪新闻", None) == "市长视察新车站的建设进度"
    assert strip_site("市長が新しい駅を視察｜毎日ニュース", None) == "市長が新しい駅を視察"
    assert strip_site("Snake_case names in Python | Blog", None) == "Snake_case names in Python"
