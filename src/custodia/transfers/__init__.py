"""Airlift transfers: the operation description, the planner (aggregate optimization with a
proven lower bound, then manifests), re-planning, execution through the custody ledger, and
burndown pictures."""
