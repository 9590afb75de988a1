"""Hashing threads beside pure-Python work: hand the GIL over sooner while both run.

hashlib and zlib release the GIL for large buffers, so a thread that reads and hashes runs on a
core of its own — except that it must take the GIL back after every read and every update, and
behind a thread running pure Python (PDF layout, the Word copy) it waits up to the interpreter's
switch interval (5 ms) each time: the hashing ran at a third of its speed. While such a pair runs,
the interval is 0.5 ms (`quick_switches`); it returns to what it was when the last pair ends.
Used by verify (its re-render beside the hashing pool).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Iterator

QUICK = 0.0005
_lock = threading.Lock()
_users = [0, 0.005]  # pairs running, the interval before the first


def quick_switches(delta: int) -> None:
    """+1 when a hashing thread starts beside Python work, -1 when that ends (balanced calls)."""
    with _lock:
        if delta > 0 and _users[0] == 0:
            _users[1] = sys.getswitchinterval()
            sys.setswitchinterval(QUICK)
        _users[0] += delta
        if delta < 0 and _users[0] == 0:
            sys.setswitchinterval(_users[1])


@contextlib.contextmanager
def quick_switching() -> Iterator[None]:
    quick_switches(+1)
    try:
        yield
    finally:
        quick_switches(-1)
