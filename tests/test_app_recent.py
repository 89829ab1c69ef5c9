"""文件 → 最近打开的项目: newest first, a click opens, a missing file is greyed."""

import pytest

pytestmark = pytest.mark.gui


def test_recent_projects_menu(make_window, tmp_path):
    doc, window = make_window()
    window.files.open_sample()
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    window.files.save_as(str(a))
    window.files.save_as(str(b))
    window.files.new()
    menu = window.recent.menu
    assert menu in [act.menu() for act in window.m_file.actions() if act.menu()]
    menu.aboutToShow.emit()
    texts = [act.text() for act in menu.actions() if act.text()]
    assert texts[0].startswith("&1 b.gpkg") and texts[1].startswith("&2 a.gpkg") and texts[-1] == "清除列表"
    menu.actions()[1].trigger()                      # a.gpkg
    assert doc.path == a and len(doc.project) > 0
    menu.aboutToShow.emit()
    assert menu.actions()[0].text().startswith("&1 a.gpkg")
    b.unlink()
    menu.aboutToShow.emit()
    assert not next(act for act in menu.actions() if "b.gpkg" in act.text()).isEnabled()
    menu.actions()[-1].trigger()                     # clear the list
    assert [act.text() for act in menu.actions()] == ["（暂无）"]
