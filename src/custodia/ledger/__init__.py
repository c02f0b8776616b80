"""Ledger: the append-only, hash-chained, Merkle-tree custody log and its checkpoints."""
