"""Form controls in Chinese: every file input is the 选择文件 picker macro, every date input says its format.

A browser draws a bare file input in its own language ("Choose File / No file chosen"); the macro in
partials/forms.html draws a Chinese button and the chosen names instead. Static checks over the templates, plus
the macro rendered once, so a new ``<input type="file">`` written by hand fails here.
"""

from __future__ import annotations

import re

import pytest

from zonehero.edges.web.rendering import TEMPLATES_DIR, build_templates

TEMPLATES = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html"))
PICKER = "partials/forms.html"
FILE_INPUT = re.compile(r"""<input\b[^>]*type=["']file["']""")
DATE_INPUT = re.compile(r"""<input\b[^>]*type=["']date["'][^>]*>""")


def file_inputs_by_hand(source: str) -> list[str]:
    return FILE_INPUT.findall(source)


def dates_without_format(source: str) -> list[str]:
    return [m for m in DATE_INPUT.findall(source) if 'placeholder="年-月-日"' not in m]


@pytest.mark.parametrize("name", [t for t in TEMPLATES if t != PICKER])
def test_file_inputs_are_the_picker_and_dates_say_their_format(name: str) -> None:
    source = (TEMPLATES_DIR / name).read_text("utf-8")
    assert file_inputs_by_hand(source) == []
    assert dates_without_format(source) == []


def test_the_picker_is_chinese_and_keeps_the_input() -> None:
    macro = build_templates().env.get_template(PICKER).module.file_picker  # type: ignore[attr-defined]
    html = str(macro("o-files", "files", accept=".pdf", multiple=True, required=True))
    assert '<input class="file-picker-input" type="file" id="o-files" name="files" accept=".pdf" multiple' in html
    assert 'required aria-describedby="o-files-chosen"' in html
    assert '<label class="btn btn-outline-primary btn-sm file-picker-button" for="o-files">选择文件</label>' in html
    assert ">未选择文件</span>" in html


def test_the_checks_catch_what_they_guard() -> None:
    bad = '<input class="form-control" type="file" name="x">\n<input type="date" name="d" aria-label="日期">'
    assert len(file_inputs_by_hand(bad)) == 1
    assert len(dates_without_format(bad)) == 1
