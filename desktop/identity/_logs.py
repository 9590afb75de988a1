"""Silence library chatter on stderr (fontTools subsetting notes, pyHanko's validation tracebacks for
an untrusted self-signed certificate): the CLI prints one line per problem, never a traceback."""

from __future__ import annotations

import contextlib
import logging


@contextlib.contextmanager
def quiet(*names: str):
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in names]
    for lg, _lvl in saved:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, lvl in saved:
            lg.setLevel(lvl)
