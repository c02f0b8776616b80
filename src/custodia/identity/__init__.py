"""Identity resolution: name model and normalization across scripts, candidate search,
explainable scoring, batch de-duplication, the review queue with merge/split decisions, and
watchlist import and screening."""
