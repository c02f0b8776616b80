"""Custodia: accountable custody for large detention systems."""

__version__ = "0.1.0"
