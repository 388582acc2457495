"""Generated assets: the class colours as CSS (from ``zonehero.core.domain.classes``, the one place they live)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from zonehero.core.domain.classes import CLASS_COLOURS, CLASS_TEXT_COLOURS

router = APIRouter(include_in_schema=False)


def class_colours_stylesheet() -> str:
    """``.class-A`` … badges/cells and ``.class-bg-A`` … table rows in the class colours."""
    rules = []
    for cls, colour in CLASS_COLOURS.items():
        text = CLASS_TEXT_COLOURS.get(cls, "#000000")
        rules.append(f".class-{cls} {{ background-color: {colour} !important; color: {text} !important; }}")
        rules.append(f".class-border-{cls} {{ border-left: .35rem solid {colour} !important; }}")
        rules.append(f".class-text-{cls} {{ color: {colour} !important; }}")
    return "\n".join(rules) + "\n"


@router.get("/assets/classes.css", name="class_colours_css")
def class_colours_css() -> Response:
    return Response(
        class_colours_stylesheet(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )
