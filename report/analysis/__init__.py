"""Stage 2: the numbers: statistics, per-factor results and rating, consistency, reconstruction."""
