"""Which renderer made a PDF: the identity that `dossier verify`'s re-render check needs.

Export is deterministic for one build of Dossier with one set of libraries and fonts, not across
them: a different ReportLab, pikepdf or Pillow, another font file, or a development checkout whose
export code changed without a new version number lays the same data out in other bytes. Comparing
such a rendering with the package's PDF would call an honest package TAMPERED. So answers.json
records `generator.renderer`, a digest of everything that decides the PDF's bytes, and verify
re-renders only when its own digest is the same (otherwise it says it cannot re-render).

What goes in: Dossier's version, the versions of the libraries the PDF and its finishing use, the
bytes of the bundled fonts and colour profile, and the source of the export code itself.

A frozen app holds bytecode, not the sources, so it cannot hash them: the installer build computes
the digest in the environment it bundles and ships it as `resources/renderer.id`
(installer/dossier.spec), and the frozen app uses that. Its exports are byte-identical to that
environment's (tests/installer/test_frozen_app.py), so it is the same renderer.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..paths import resources_dir

LIBRARIES = ("reportlab", "pikepdf", "pillow", "fonttools", "uharfbuzz", "qrcode", "budoux", "rl-accel", "zlib-ng")
_PACKAGES = ("export", "programs", "values", "rules", "models")  # the code a rendering passes through


SHIPPED = "renderer.id"


@functools.lru_cache(maxsize=1)
def renderer_id() -> str:
    if getattr(sys, "frozen", False):
        try:
            shipped = (resources_dir() / SHIPPED).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            shipped = ""
        if re.fullmatch(r"[0-9a-f]{32}", shipped):
            return shipped
    return computed_renderer_id()


def _version(lib: str) -> str:
    """metadata.version(lib), from the Version line of the METADATA header: metadata.version
    parses the whole file with the email package (fontTools' holds its changelog), ≈20 ms of
    every fresh `dossier verify`. "-" when the library is not installed."""
    try:
        text = metadata.distribution(lib).read_text("METADATA")
    except metadata.PackageNotFoundError:
        return "-"
    for line in (text or "").split("\n\n", 1)[0].splitlines():
        if line.startswith("Version:"):
            return line[8:].strip()
    try:  # an odd METADATA: what importlib makes of it
        return metadata.version(lib)
    except metadata.PackageNotFoundError:
        return "-"


def computed_renderer_id() -> str:
    """The digest from this environment's libraries, resources and export sources."""
    h = hashlib.sha256(f"Dossier {__version__}\n".encode())
    for lib in LIBRARIES:
        h.update(f"{lib} {_version(lib)}\n".encode())
    res = resources_dir()
    for folder, pattern in (("fonts", "*.tt[fc]"), ("icc", "*.ic[cm]")):
        for f in sorted((res / folder).glob(pattern)):
            h.update(f"{folder}/{f.name}\n".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    code = Path(__file__).resolve().parents[1]
    for pkg in _PACKAGES:
        for f in sorted((code / pkg).rglob("*.py")):
            h.update(f"{f.relative_to(code).as_posix()}\n".encode())
            try:
                h.update(hashlib.sha256(f.read_bytes()).digest())
            except OSError:  # a frozen app may hold only bytecode: its version and libraries still count
                pass
    return h.hexdigest()[:32]
