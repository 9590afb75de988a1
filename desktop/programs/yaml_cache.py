"""A memory of YAML texts already parsed, keyed by the SHA-256 of the text.

Why: the bounded YAML reader (yaml_io) is pure-Python construction on top of libyaml, ≈ 50 ms per
bundled definition. The start window parses all sixteen (0.8 s of a 2 s start), every project open
parses the definition it embeds, and the reviewer's desk parses the same program.yaml in each of
hundreds of packages. The result of a text is always the same, so it is parsed once per machine:

- in this process: the last texts' results as JSON strings (each hit gets a fresh copy: callers
  may change what they are given);
- on disk: `<user data>/cache/yaml/<digest>.json`, and in an installed app the bundled
  definitions' results shipped in `resources/cache/yaml/` (written by the installer build).

Only a text that passed every bound of yaml_io (size, aliases, nesting, duplicate keys) is ever
stored, and only when JSON gives back exactly what YAML built (a non-string key, a NaN or a binary
value is not cached: it is parsed each time). A cache file carries the digest of its own body and
the key it was stored under; anything that does not check out (torn write, another version, an
edited file, over MAX_CACHED_BYTES) is ignored and the text parsed again. An unwritable or odd
user folder only costs speed. The file format: docs/caches.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any

# first line of a cache file: change it whenever what yaml_io builds from a text could change
# (the loader's rules, or a PyYAML upgrade that parses differently)
FORMAT = b"dossier-yaml-cache 1"
MIN_CHARS = 2048  # smaller texts parse in well under a millisecond
MAX_CACHED_BYTES = 32 << 20  # a cache file larger than this is not read
MAX_FILES = 256  # user cache entries kept (oldest removed first)
_MEMORY = 32
_memory: "OrderedDict[str, str]" = OrderedDict()


def key_of(text: str) -> str:
    h = hashlib.sha256(FORMAT + b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _dirs() -> list[Path]:
    from ..paths import resources_dir, user_data_dir

    return [user_data_dir() / "cache" / "yaml", resources_dir() / "cache" / "yaml"]


def _remember(key: str, body: str) -> None:
    _memory[key] = body
    _memory.move_to_end(key)
    while len(_memory) > _MEMORY:
        _memory.popitem(last=False)


def _read(path: Path, key: str) -> str | None:
    try:
        st = path.stat()
        if st.st_size > MAX_CACHED_BYTES or not path.is_file():
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    head, sep, body = raw.partition(b"\n")
    parts = head.split(b" ")
    # "<FORMAT> <key> <sha256 of body>"
    if not sep or len(parts) != 4 or b" ".join(parts[:2]) != FORMAT or parts[2].decode("ascii", "replace") != key:
        return None
    if hashlib.sha256(body).hexdigest().encode("ascii") != parts[3]:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def lookup(text: str) -> tuple[str, Any] | tuple[str, None]:
    """(key, data) when `text` was parsed before, else (key, None). (None is never cached.)"""
    key = key_of(text)
    body = _memory.get(key)
    if body is None:
        for d in _dirs():
            body = _read(d / f"{key}.json", key)
            if body is not None:
                break
    if body is None:
        return key, None
    try:
        data = json.loads(body)
    except ValueError:
        return key, None
    _remember(key, body)
    return key, data


def known(text: str) -> bool:
    """Whether `text` was parsed before and passed every bound of yaml_io (cheap: a digest and a
    lookup; verify skips its own alias count for such a text)."""
    key = key_of(text)
    if key in _memory:
        return True
    return lookup(text)[1] is not None


def encode(data: Any) -> str | None:
    """The JSON form of `data` when it gives back exactly `data`, else None."""
    try:
        body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    try:
        if json.loads(body) != data or not _same_types(json.loads(body), data):
            return None
    except (ValueError, RecursionError):
        return None
    return body


def _same_types(a: Any, b: Any) -> bool:
    # == says 1 == 1.0 == True; a definition must get back the very types YAML gave
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            stack.extend((x[k], y[k]) for k in x)
        elif isinstance(x, list):
            stack.extend(zip(x, y))
    return True


def store(key: str, data: Any, *, folder: Path | None = None) -> bool:
    """Remember `data` (parsed from the text of `key`). False when it cannot be cached."""
    body = encode(data)
    if body is None:
        return False
    _remember(key, body)
    raw = body.encode("utf-8")
    if len(raw) > MAX_CACHED_BYTES:
        return False
    target_dir = folder or _dirs()[0]
    from ..errors import DossierError
    from ..fsutil import atomic_write_bytes

    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        head = b" ".join([FORMAT, key.encode("ascii"), hashlib.sha256(raw).hexdigest().encode("ascii")])
        atomic_write_bytes(target_dir / f"{key}.json", head + b"\n" + raw)
        if folder is None:
            _prune(target_dir)
    except (OSError, ValueError, DossierError):  # an odd or unwritable user folder: only speed is lost
        return False
    return True


def _prune(folder: Path) -> None:
    try:
        entries = [(p.stat().st_mtime_ns, p) for p in folder.glob("*.json")]
    except OSError:
        return
    if len(entries) <= MAX_FILES:
        return
    for _, p in sorted(entries)[: len(entries) - MAX_FILES]:
        try:
            os.unlink(p)
        except OSError:
            pass


def clear_memory() -> None:
    _memory.clear()
