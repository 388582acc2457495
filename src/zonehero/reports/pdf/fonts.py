"""Find and register the CJK font every PDF is set in.

The font is embedded (subset) in each PDF so that Chinese renders and can be
extracted on a machine with no fonts of its own. We use WenQuanYi Micro Hei
from the Debian package ``fonts-wqy-microhei`` (installed by
``scripts/system-deps.sh``); ``ZONEHERO_CJK_FONT`` may point to another
TrueType font (.ttf, or a .ttc whose first face is used). ReportLab's
built-in STSong-Light is deliberately not used: it is not embedded and
depends on the reader's fonts. Fonts are never fetched from the internet.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from zonehero.errors import ZoneheroError

FONT_ENV = "ZONEHERO_CJK_FONT"
FONT_NAME = "ZoneheroCJK"
"""The name documents use in styles and drawings."""
DEBIAN_PACKAGE = "fonts-wqy-microhei"

CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian, Ubuntu
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora, Arch
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/local/share/fonts/wqy-microhei.ttc",
    "/opt/homebrew/share/fonts/wqy-microhei.ttc",
)

_lock = threading.Lock()
_registered: str | None = None
_configured: Path | None = None


class CJKFontMissing(ZoneheroError):
    """No usable CJK font: PDFs would show boxes instead of Chinese."""


def _missing_message(detail: str) -> str:
    return (
        f"找不到可嵌入 PDF 的中文字体（{detail}）。请安装 Debian 软件包 {DEBIAN_PACKAGE}"
        f"（apt-get install {DEBIAN_PACKAGE}），或设置环境变量 {FONT_ENV} 指向一个 TrueType 中文字体文件。"
        f" / No CJK font found for PDF output ({detail}): install the Debian package {DEBIAN_PACKAGE}"
        f" or set {FONT_ENV} to a TrueType CJK font file."
    )


def use_font(path: Path | None) -> None:
    """Embed ``path`` instead of the first known font (``Settings.cjk_font``; the edges call this at start-up)."""
    global _configured
    _configured = path


def find_cjk_font(configured: Path | None = None) -> Path:
    """The font file to embed: the configured one (it must exist), else the first known path found.

    ``configured`` defaults to what :func:`use_font` installed. Raises :class:`CJKFontMissing` with a Chinese
    and English message naming the Debian package.
    """
    configured = configured if configured is not None else _configured
    if configured is not None:
        path = configured.expanduser()
        if not path.is_file():
            raise CJKFontMissing(_missing_message(f"{FONT_ENV}={configured} 不存在 / does not exist"))
        return path
    for candidate in CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    raise CJKFontMissing(_missing_message("已查找 / searched " + ", ".join(CANDIDATES)))


def load_font(path: Path, name: str = FONT_NAME) -> TTFont:
    """Parse a TrueType font (first face of a collection); CJKFontMissing when ReportLab cannot embed it."""
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            return TTFont(name, str(path), subfontIndex=0)
        return TTFont(name, str(path))
    except Exception as exc:  # ReportLab raises TTFError and plain errors for unusable files
        raise CJKFontMissing(_missing_message(f"{path} 无法嵌入 / cannot be embedded: {exc}")) from exc


def register_cjk_font() -> str:
    """Register the CJK font with ReportLab once per process and return its name.

    The same face serves as regular and bold (WenQuanYi Micro Hei has one
    weight); headings get their weight from size instead.
    """
    global _registered
    with _lock:
        if _registered is None:
            font = load_font(find_cjk_font())
            pdfmetrics.registerFont(font)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _registered = FONT_NAME
        return _registered
