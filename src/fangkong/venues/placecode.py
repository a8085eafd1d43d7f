"""Place codes (场所码): a signed token of a venue id and its code version, and its QR images.

Token: ``{id}.{version}.{mac}`` with id and version in base 36 and ``mac`` the first 16 bytes
of HMAC-SHA256 over ``{id}.{version}`` in unpadded URL-safe base64 (at most 35 characters).
The key is derived from the secret key for the purpose ``place_code``. Pure functions: no
database; rotating a venue's code bumps its version, so tokens of the old version are refused
by ``fangkong.venues.service.resolve_place_code``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from fangkong.auth.tokens import signing_key
from fangkong.config import Settings

if TYPE_CHECKING:
    from segno import QRCode

PURPOSE = "place_code"
MAC_BYTES = 16
MAX_TOKEN = 40
_TOKEN = re.compile(r"^([0-9a-z]{1,13})\.([0-9a-z]{1,7})\.([A-Za-z0-9_-]{22})$")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("negative")
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
        if number == 0:
            return text


def _mac(settings: Settings, body: str) -> str:
    digest = hmac.new(signing_key(settings, PURPOSE), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:MAC_BYTES]).decode().rstrip("=")


def token_for(settings: Settings, venue_id: int, version: int) -> str:
    body = f"{_base36(venue_id)}.{_base36(version)}"
    return f"{body}.{_mac(settings, body)}"


def parse(settings: Settings, token: str) -> tuple[int, int] | None:
    """``(venue_id, version)`` of a genuine token; None when forged, garbled or not canonical."""
    if len(token) > MAX_TOKEN:
        return None
    match = _TOKEN.match(token)
    if match is None:
        return None
    venue_id, version = int(match.group(1), 36), int(match.group(2), 36)
    body = f"{_base36(venue_id)}.{_base36(version)}"
    if body != f"{match.group(1)}.{match.group(2)}":
        return None  # leading zeros: one venue, one token per version
    if not hmac.compare_digest(match.group(3), _mac(settings, body)):
        return None
    return venue_id, version


def url_for(settings: Settings, token: str) -> str:
    return f"{settings.public_url}/checkin/{token}"


def _qr(url: str) -> QRCode:
    import segno  # noqa: PLC0415 - only a drawn code needs it

    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_png(url: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, scale: int = 10, *, inline: bool = False) -> bytes:
    """The QR as SVG; ``inline``: without the XML declaration, for embedding in a page."""
    out = io.BytesIO()
    # Inline: no declaration, and a viewBox instead of a fixed size, so CSS can scale it.
    options = {"xmldecl": False, "nl": False, "omitsize": True} if inline else {}
    _qr(url).save(out, kind="svg", scale=scale, border=4, svgclass="place-qr", **options)
    return out.getvalue()


def poster_svg(name: str, url: str, instruction: str, note: str) -> bytes:
    """An A4 poster (210 × 297 mm) as one SVG: the venue name, the QR and the instruction."""
    qr = _qr(url).svg_data_uri(scale=10, border=4)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297">'
        '<rect width="210" height="297" fill="#fff"/>'
        f'<text x="105" y="45" font-size="14" font-weight="bold" text-anchor="middle">'
        f"{escape(name)}</text>"
        f'<image x="35" y="65" width="140" height="140" href="{escape(qr)}"/>'
        f'<text x="105" y="230" font-size="10" text-anchor="middle">{escape(instruction)}</text>'
        f'<text x="105" y="245" font-size="6" text-anchor="middle">{escape(note)}</text>'
        "</svg>\n"
    ).encode()
