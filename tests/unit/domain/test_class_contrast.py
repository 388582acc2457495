"""A class badge is readable: its text colour on its class colour meets WCAG AA for small text (4.5:1).

The same pair colours the badges on the pages, the cells of the xlsx exports and the PDFs; axe-core flagged white on
the B green at 2.3:1 (issue 13), so the rule is checked where the colours live.
"""

from __future__ import annotations

import pytest

from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS, CLASSES

AA_SMALL_TEXT = 4.5


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("cls", CLASSES)
def test_badge_text_is_readable_on_its_class_colour(cls: str) -> None:
    assert contrast(CLASS_TEXT_COLOURS[cls], CLASS_COLOURS[cls]) >= AA_SMALL_TEXT


def test_the_ratio_is_the_wcag_one() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#66bd63") == pytest.approx(2.33, abs=0.01)  # the old white on B
