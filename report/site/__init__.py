"""Stage 4: MkDocs turns the Markdown into the site, Pagefind indexes it, and it is published."""
