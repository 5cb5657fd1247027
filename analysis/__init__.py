"""The build pipeline: load -> analyse -> render -> site.

Each stage is a module with one job; only build.py prints or exits.
"""
