"""Access: who did what. An append-only audit log of every write outside the ledger
(the ledger records its own writers)."""
