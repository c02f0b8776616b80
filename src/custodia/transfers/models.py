"""Tables of the transfers room."""

from __future__ import annotations
