"""Stage 1: the curated facts (YAML) read into typed records, every field and reference checked."""
