"""Tables of the identity room."""

from __future__ import annotations
