"""The CJK font is found, configurable, embedded, and refused with a clear message when missing; chart bins."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from report_pdf_checks import embedded_fonts, pdf_text

from zonehero.core.evaluation.distribution import histogram_bins
from zonehero.reports.pdf import fonts
from zonehero.reports.pdf.styles import build_pdf, para


def test_it_finds_the_debian_font_by_default() -> None:
    path = fonts.find_cjk_font()
    assert path.is_file()
    assert path.name == "wqy-microhei.ttc"


def test_the_configured_font_wins(tmp_path: Path) -> None:
    installed = fonts.find_cjk_font()
    copy = tmp_path / "own.ttc"
    copy.write_bytes(installed.read_bytes())
    assert fonts.find_cjk_font(copy) == copy


def test_a_configured_font_that_does_not_exist_is_refused_naming_the_package(tmp_path: Path) -> None:
    with pytest.raises(fonts.CJKFontMissing) as caught:
        fonts.find_cjk_font(tmp_path / "nope.ttf")
    assert "fonts-wqy-microhei" in caught.value.message
    assert "找不到" in caught.value.message and "No CJK font" in caught.value.message


def test_no_font_anywhere_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "CANDIDATES", (str(tmp_path / "missing.ttc"),))
    with pytest.raises(fonts.CJKFontMissing, match="fonts-wqy-microhei"):
        fonts.find_cjk_font()


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(fonts.CJKFontMissing, match="cannot be embedded"):
        fonts.load_font(bogus)


def test_chinese_is_embedded_and_extractable() -> None:
    data = build_pdf([para("亩均效益综合评价")], running_head="页眉测试", title="t")
    assert pdf_text(data).count("亩均效益综合评价") == 1
    assert "页眉测试" in pdf_text(data)
    assert "第1页共1页" in pdf_text(data)
    embedded = embedded_fonts(data)
    assert embedded and all("STSong" not in f for f in embedded)


def test_histogram_counts_every_value_once() -> None:
    values = [0.5, 1, 9.99, 10, 55, 199.9, 200]
    bins = histogram_bins(values, width=20.0)
    assert sum(b.count for b in bins) == len(values)
    assert bins[0].label == "0~20" and bins[0].count == 4
    assert bins[-1].low <= 200 < bins[-1].high


def test_a_long_tail_goes_into_one_open_bin() -> None:
    values = [float(v) for v in range(100)] + [10_000.0]
    bins = histogram_bins(values, bins=10, upper_quantile=0.95)
    assert sum(b.count for b in bins) == 101
    assert bins[-1].open_ended and math.isinf(bins[-1].high)
    assert bins[-1].label.startswith("≥")


def test_no_values_no_bins() -> None:
    assert histogram_bins([]) == []
