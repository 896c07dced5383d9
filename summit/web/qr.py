"""QR codes for join and return links, drawn as SVG on the server (nothing from a CDN)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    """An inline SVG of the QR code for ``url``, sized by its container's CSS.

    The markup comes from segno, not from user input; the URL is only encoded in the path's
    geometry, never written into the markup as text.
    """
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308
