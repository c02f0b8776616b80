"""NIST ``xyt`` minutiae text (as written by NBIS mindtct): one minutia a line,
``x y theta quality``, with x, y in pixels (origin top left, y down) and theta in whole
degrees counter-clockwise. The type is not carried; minutiae read from xyt are endings."""

from __future__ import annotations

import math

from custodia.biometrics.extract import ENDING, Minutiae


def encode(minutiae: Minutiae) -> str:
    lines = []
    for i in range(len(minutiae)):
        ccw = math.degrees((2 * math.pi - float(minutiae.angle[i])) % (2 * math.pi))
        lines.append(
            f"{round(float(minutiae.x[i]))} {round(float(minutiae.y[i]))} "
            f"{round(ccw) % 360} {int(minutiae.quality[i])}"
        )
    return "\n".join(lines) + "\n"


def decode(text: str, *, width: int = 500, height: int = 500) -> Minutiae:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (3, 4):
            raise ValueError(f"xyt line {number}: expected 'x y theta [quality]', got {line!r}")
        try:
            x, y, theta = float(parts[0]), float(parts[1]), float(parts[2])
            quality = int(parts[3]) if len(parts) == 4 else 50
        except ValueError as exc:
            raise ValueError(f"xyt line {number}: not numbers: {line!r}") from exc
        angle = (2 * math.pi - math.radians(theta)) % (2 * math.pi)
        rows.append((x, y, angle, ENDING, max(0, min(quality, 100))))
    return Minutiae.from_rows(rows, width, height)
