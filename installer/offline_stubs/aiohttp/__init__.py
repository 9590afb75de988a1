"""Dossier's offline stand-in for aiohttp, bundled in the frozen app instead of the real package.

Why: pyHanko imports aiohttp when `pyhanko.sign` is imported (for RFC 3161 time-stamping over HTTP,
remote signing services and fetching OCSP/CRL data), although Dossier uses none of that: it works
offline, signs with a local key, and validates with fetching disabled. aiohttp and what it pulls in
(yarl, multidict, frozenlist, propcache, aiosignal, aiohappyeyeballs) are ~12 MB of a network stack
in an app that must never open a connection. This module provides the names pyHanko refers to when
its modules are imported (classes in annotations, exception classes in `except` clauses); using any
of them raises OfflineError, so nothing can silently go online either.

The venv keeps the real aiohttp (pyHanko depends on it); tests/installer runs the full app with
this stand-in in place to prove it is enough (installer/bundle_rules.py lists what is left out).
"""

from __future__ import annotations

__version__ = "0+dossier-offline"


class OfflineError(RuntimeError):
    """Raised by every use of this stand-in: the frozen Dossier has no network stack."""

    def __init__(self, what: str = "aiohttp"):
        super().__init__(f"{what}: Dossier works offline and includes no network stack "
                         "(no time-stamping server, no certificate status fetching)")


class ClientError(Exception):
    pass


class ContentTypeError(ClientError):
    pass


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise OfflineError(f"aiohttp.{type(self).__name__}")


class BasicAuth(_Unavailable):
    pass


class ClientSession(_Unavailable):
    pass


class ClientTimeout(_Unavailable):
    pass


class TCPConnector(_Unavailable):
    pass


_made: dict[str, type] = {}


def __getattr__(name: str):
    # any other name a newer pyHanko refers to at import time: an exception class for *Error /
    # *Exception names (they appear in `except` clauses), otherwise a class that refuses to be used
    if name.startswith("__"):
        raise AttributeError(name)
    if name not in _made:
        base = ClientError if name.endswith(("Error", "Exception")) else _Unavailable
        _made[name] = type(name, (base,), {"__module__": __name__})
    return _made[name]
