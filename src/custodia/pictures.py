"""Pictures drawn with matplotlib, written off screen as bytes for a file or a page."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def picture_bytes(figure: Figure, image_format: str = "png") -> bytes:
    """A finished figure as PNG or SVG bytes. The figure is closed: pyplot keeps every open
    figure in memory, and a server draws one per request."""
    from matplotlib import pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
