"""The fast renderer of the 计算单 (text operators written directly, grids and point tables drawn
from precomputed templates) prints the very same text as the platypus renderer it replaced:
page by page, in order, every figure, 大写 and label (tests/report_golden.py)."""

import json

from report_golden import GOLDEN, page_texts, render


def test_same_text_as_the_platypus_renderer_page_by_page(tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = page_texts(render(tmp_path / "golden.pdf"))
    assert len(got) == len(expected)
    for k, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"page {k + 1} differs"
