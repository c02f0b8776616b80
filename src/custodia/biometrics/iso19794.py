"""ISO/IEC 19794-2:2005 finger minutiae records (the ``FMR`` record format): write and read.

Layout: a 24-byte record header (``FMR\\0``, version `` 20\\0``, record length, capture
equipment, image size, resolution in pixels per centimetre, number of finger views), then per
view a 4-byte header (ANSI/NIST finger position, view and impression type, finger quality,
minutiae count), 6 bytes per minutia (2-bit type and 14-bit x; 14-bit y; angle in units of
360/256 degrees counter-clockwise; quality) and a 2-byte extended data length (0 here).
Coordinates have their origin top left, y down; our internal angles run clockwise on screen
(y down), so they are mirrored on the way in and out.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from custodia.biometrics.extract import BIFURCATION, ENDING, Minutiae

_MAGIC = b"FMR\x00"
_VERSION = b" 20\x00"
_PX_PER_CM = 197  # 500 dpi
_ISO_TYPE = {ENDING: 1, BIFURCATION: 2}
_OUR_TYPE = {1: ENDING, 2: BIFURCATION, 0: ENDING}


class FormatError(ValueError):
    """The bytes are not a readable ISO/IEC 19794-2 record."""


@dataclass(frozen=True)
class FingerView:
    position: int
    quality: int
    minutiae: Minutiae


def encode(views: list[FingerView]) -> bytes:
    if not views:
        raise ValueError("an ISO/IEC 19794-2 record needs at least one finger view")
    width = max(v.minutiae.width for v in views)
    height = max(v.minutiae.height for v in views)
    body = bytearray()
    view_numbers: dict[int, int] = {}
    for view in views:
        m = view.minutiae
        count = min(len(m), 255)
        number = view_numbers.get(view.position, 0)
        view_numbers[view.position] = number + 1
        body += struct.pack(">BBBB", view.position, (number & 0x0F) << 4, view.quality, count)
        for i in range(count):
            kind = _ISO_TYPE.get(int(m.kind[i]), 0)
            x = min(max(round(float(m.x[i])), 0), 0x3FFF)
            y = min(max(round(float(m.y[i])), 0), 0x3FFF)
            ccw = (2 * math.pi - float(m.angle[i])) % (2 * math.pi)
            angle = round(ccw / (2 * math.pi) * 256) % 256
            body += struct.pack(">HHBB", (kind << 14) | x, y, angle, int(m.quality[i]))
        body += struct.pack(">H", 0)
    length = 24 + len(body)
    header = (
        _MAGIC
        + _VERSION
        + struct.pack(">IHHHHHBB", length, 0, width, height, _PX_PER_CM, _PX_PER_CM, len(views), 0)
    )
    return header + bytes(body)


def decode(data: bytes) -> list[FingerView]:
    if len(data) < 24 or data[:4] != _MAGIC:
        raise FormatError("not an ISO/IEC 19794-2 record: it does not start with 'FMR'")
    length, _equipment, width, height, _xres, _yres, n_views, _ = struct.unpack(
        ">IHHHHHBB", data[8:24]
    )
    if length != len(data):
        raise FormatError(f"record length says {length} bytes but {len(data)} were given")
    views: list[FingerView] = []
    offset = 24
    try:
        for _ in range(n_views):
            position, _view, quality, count = struct.unpack(">BBBB", data[offset : offset + 4])
            offset += 4
            rows = []
            for _ in range(count):
                tx, y, angle, q = struct.unpack(">HHBB", data[offset : offset + 6])
                offset += 6
                ccw = angle / 256 * 2 * math.pi
                rows.append(
                    (
                        float(tx & 0x3FFF),
                        float(y & 0x3FFF),
                        (2 * math.pi - ccw) % (2 * math.pi),
                        _OUR_TYPE.get(tx >> 14, ENDING),
                        q,
                    )
                )
            (extended,) = struct.unpack(">H", data[offset : offset + 2])
            offset += 2 + extended
            views.append(FingerView(position, quality, Minutiae.from_rows(rows, width, height)))
    except struct.error as exc:
        raise FormatError("the ISO/IEC 19794-2 record is truncated") from exc
    if not all(0 <= v.position <= 10 for v in views):
        raise FormatError("a finger view has a position outside 0-10")
    return views
