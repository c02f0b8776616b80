"""Tables of the biometrics room."""

from __future__ import annotations
