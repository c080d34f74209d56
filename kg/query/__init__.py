"""Stage 5: stored queries and quality checks, engines, remote stores, pushing and serving."""
