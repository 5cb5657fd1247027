"""Stage 1: read and validate data/, content/ and sources/ into plain values."""
