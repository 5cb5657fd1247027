"""An environment variable set for the length of a block: MkDocs reads the build date from one,
vl-convert its font configuration."""

from __future__ import annotations

import os
from contextlib import contextmanager


@contextmanager
def environment_variable(name: str, value: str):
    """Set back (or removed) afterwards, so that no later process inherits it."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            del os.environ[name]
        else:
            os.environ[name] = previous
