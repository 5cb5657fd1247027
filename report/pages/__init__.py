"""Stage 3: chart specs and their drawings, and the templates rendered to Markdown and CSV."""
