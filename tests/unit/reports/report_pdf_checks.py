"""Reading generated PDFs back: extracted text (pypdf), page count, pages rendered to PNG (pdftoppm)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdf_pages(data: bytes) -> int:
    """Number of pages."""
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text(data: bytes) -> str:
    """All extracted text with whitespace removed (wrapped lines would split figures otherwise)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def embedded_fonts(data: bytes) -> set[str]:
    """Base font names of embedded (FontFile2) fonts on any page."""
    reader = PdfReader(io.BytesIO(data))
    found: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                d = desc.get_object().get("/FontDescriptor")
                if d is not None and "/FontFile2" in d.get_object():
                    found.add(str(font["/BaseFont"]))
    return found


def render_pages(data: bytes, out_dir: Path, stem: str, *, first: int = 1, last: int | None = None) -> list[Path]:
    """Render pages to PNG with pdftoppm (poppler-utils); fails loudly when it cannot render."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm missing: apt-get install poppler-utils"
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{stem}.pdf"
    pdf.write_bytes(data)
    args = [tool, "-r", "80", "-png", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    done = subprocess.run([*args, str(pdf), str(out_dir / stem)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    pdf.unlink()
    pngs = sorted(out_dir.glob(f"{stem}-*.png"))
    assert pngs and all(p.stat().st_size > 5000 for p in pngs)
    return pngs
