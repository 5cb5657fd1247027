"""Importer: turns the two seed thesis texts into Markdown chapters.

Run ``python -m importer`` from the repository root.
"""
