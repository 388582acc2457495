"""Small helpers the end-to-end runs share: the flash message of a page, clicking a button, real files to upload."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from playwright.sync_api import Locator, Page


def number_in(text: str) -> float:
    """The first number of ``text`` (thousands separators dropped): ``1,862.18万元`` → 1862.18."""
    match = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", text)
    assert match, text
    return float(match.group().replace(",", ""))


def flash(page: Page) -> str:
    """The first flash message (alert) of the page's main area."""
    return page.locator("main .alert").first.inner_text()


def click_button(page: Page, button: str, scope: Locator | None = None) -> None:
    """Click a button by its label (inside ``scope`` when given), confirming its dialog if it asks first.

    An irreversible action's button (``data-confirm``, templates/partials/confirm.html) opens a modal
    <dialog>; a person reads it and presses 确认…, and so does this.
    """
    target = (scope or page).get_by_role("button", name=button, exact=True)
    dialog = target.get_attribute("data-confirm")
    target.click()
    if dialog:
        page.locator(f"dialog#{dialog}[open] [data-confirm-accept]").click()


def submit(page: Page, button: str, scope: Locator | None = None) -> None:
    """Click a submit button by its label (confirming its dialog if any) and wait for the answer page."""
    with page.expect_navigation():
        click_button(page, button, scope)


def png_file(path: Path, width: int = 64, height: int = 48) -> Path:
    """A real small gradient PNG, as a phone would send a photo (written to ``path``)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 4 % 256, y * 5 % 256, 128)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )
    return path


AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
"""axe-core from npm, vendored for the tests only (vendor/axe-core/README.md); the application never serves it."""
BLOCKING_IMPACTS = ("serious", "critical")
"""What fails a page: axe-core's two worst impact levels (minor and moderate are advice)."""


def with_axe(page: Page) -> None:
    """Load axe-core into every document ``page`` opens from now on.

    Through Playwright's init script (DevTools), not a ``<script>`` tag: the server's Content Security Policy
    forbids injected scripts, and it stays on while axe runs, so the pages are checked as users get them.
    """
    page.context.add_init_script(path=str(AXE_SCRIPT))


def axe_violations(page: Page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[str]:
    """axe-core's violations of ``impacts`` on the current page, one readable line per rule and element."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"[{violation['impact']}] {violation['id']} at {target}: {summary} ({violation['helpUrl']})")
    return lines
