"""Getting packages through poor connections (issue #12): volumes, recovery data, encryption, deltas.

One face for the CLI, the export dialog and the reviewer's desk:

    export_package(project, out_dir, *, split=None, recovery=None, encrypt_to=(), since=None, …)
        -> TransportResult                      (desktop.transport.export)
    open_package(paths, *, basis=None, identity=None) -> Opened
        a context: .zip is a whole package zip in a private temp folder (reassembled from volumes,
        decrypted, rebuilt from a delta and its basis), .notes say what was done   (.intake)
    verify_paths(paths, *, basis=None, trust_cert=None, trust_fingerprint=None) -> Verdict   (.intake)
    repair_paths(paths) -> [(path, Status)]     PAR2 repair in place                          (.intake)

Formats: docs/transport.md. The modules behind it: volumes, delta, encrypt (age), recovery (PAR2),
layout (reading and writing package zips entry by entry).
"""

from __future__ import annotations

from typing import Any

__all__ = ["export_package", "TransportResult", "open_package", "Opened", "verify_paths", "repair_paths"]

_LAZY = {"export_package": "export", "TransportResult": "export", "open_package": "intake", "Opened": "intake",
         "verify_paths": "intake", "repair_paths": "intake"}


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)
