"""The HTTP API: an app factory, the mapping of errors to RFC 9457 problem details, and the
dependencies every route shares (the caller's token and role, a session, paging)."""
