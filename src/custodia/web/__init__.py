"""Server-rendered pages for people at a browser (no script from elsewhere: air-gapped)."""
