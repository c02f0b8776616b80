"""Custody: the rules of who may move where, the current-custody projection, roll calls."""
