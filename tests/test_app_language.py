"""The map's own words (legend, caption under the map, north arrow) follow the language
chosen in the Language menu, and the liable-months rule — the core's Chinese wording, as the
report prints it — is shown in English when English is chosen."""

import numpy as np
import pytest

from desktop.map.texts import CHINESE, ENGLISH

pytestmark = pytest.mark.gui


def legend_words(view) -> tuple[str, list[str]]:
    return view.legend.get_title().get_text(), [t.get_text() for t in view.legend.get_texts()]


def test_map_legend_caption_and_north_arrow_follow_the_language(make_window):
    doc, window = make_window()
    window.files.open_sample()
    view = window.canvas.view
    title, labels = legend_words(view)
    assert title == "图例" and "一级  15 元/m²·年" in labels and "宗地" in labels
    assert view.north.label == "北" and "\n精度：" in view.caption()
    north_zh = view.north.stamp.pixels.copy()

    window.lang_actions["en"].trigger()
    title, labels = legend_words(view)
    assert title == "Legend" and "Grade 1  15 yuan/m²·year" in labels and "Parcel" in labels
    assert not any("宗地" in x or "元" in x for x in labels)
    assert view.north.label == "N" and not np.array_equal(view.north.stamp.pixels, north_zh)   # redrawn
    caption = view.caption()
    assert caption.startswith(f"{doc.zoneset.metadata['name_en']} (version {doc.zoneset.version})")
    assert caption.startswith("Wenzhou urban land grades for the urban land-use tax (Wenzhengban [2024] No. 10)")
    assert "\nAccuracy: illustrative, not the official grade map" in caption and "精度" not in caption
    assert view.caption_artist.key == caption                            # the strip under the map was redrawn
    window.canvas.canvas.draw()
    window.grab().save("/tmp/app_english_map.png")

    window.lang_actions["zh_CN"].trigger()
    assert legend_words(view)[0] == "图例" and view.north.label == "北" and "\n精度：" in view.caption()


def test_map_view_texts_without_qt():
    from desktop.map.map_view import MapView

    from synthetic import city

    view = MapView(width_px=600, height_px=400)
    view.set_zoneset(city())
    assert view.texts is CHINESE and legend_words(view)[0] == "图例"
    view.set_texts(ENGLISH)
    title, labels = legend_words(view)
    assert title == "Legend" and labels[0].startswith("Grade 1  15 yuan")
    view.set_texts(CHINESE)
    assert legend_words(view)[1][0].endswith("15 元/m²·年")


def test_liable_rule_in_both_languages(make_window):
    doc, window = make_window()
    window.files.open_sample()
    doc.selection.set([doc.project.parcels[0].uid])
    html = window.assessment.html()
    assert "应税月份: 12; 规则: 全期 12 个月" in html
    window.lang_actions["en"].trigger()
    html = window.assessment.html()
    assert "Months liable: 12; rule: the whole period, 12 months" in html
