"""Undo/redo commands. Each redo/undo calls the core, which commits at once (no Save anywhere).

- SetValueCommand: a field edit. Consecutive typing in the same field merges into one step.
- AttachCommand / DetachCommand: evidence. Removing the last link of an item deletes its content
  from the project, so before that the content is copied to the session's stash (a temp folder,
  through the worker: big files never block the UI); restoring attaches the stashed copy again.
- NoteCommand: an evidence note.

A command whose core call fails (disk full, read-only, cancelled) reports the error through the
session and marks itself obsolete, so QUndoStack drops it and the stack stays truthful.
"""

from __future__ import annotations

import time
import uuid
import zlib
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from ..errors import DossierError
from ..project import safe_file_name as _safe_name
from .i18n import lang

MERGE_WINDOW = 3.0  # seconds: typing pauses shorter than this stay one undo step



class _Command(QUndoCommand):
    def __init__(self, session, text: str):
        super().__init__(text)
        self.session = session
        self.error: DossierError | None = None

    def _fail(self, e: BaseException) -> None:
        if not isinstance(e, DossierError):
            e = DossierError(str(e), str(e), key="error")
        self.error = e
        self.setObsolete(True)
        self.session.errorRaised.emit(e)

    def _guard(self, fn) -> None:
        s = self.session
        s.in_command = True
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - shown to the user, the stack drops the command
            self._fail(e)
        finally:
            s.in_command = False


class SetValueCommand(_Command):
    def __init__(self, session, path: str, old: Any, new: Any, *, typing: bool = False):
        fld = session.field(path)
        super().__init__(session, QCoreApplication.translate("Undo", "Edit “{field}”").format(field=fld.label.get(lang())))
        self.path = path
        self.old = old
        self.new = new
        self.typing = typing
        self.at = time.monotonic()
        self._first = True

    def id(self) -> int:
        return zlib.crc32(self.path.encode()) & 0x7FFFFFFF if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetValueCommand) and other.path == self.path and self.typing and other.typing):
            return False
        if other.at - self.at > MERGE_WINDOW or other.error is not None:
            return False
        self.new = other.new
        self.at = other.at
        if self.new == self.old:
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        first, self._first = self._first, False
        self._guard(lambda: self.session.store(self.path, self.new))
        if not first and self.error is None:
            self.session.navigateRequested.emit(self.session.field(self.path).indicator_id, self.path)

    def undo(self) -> None:
        self._guard(lambda: self.session.store(self.path, self.old))
        if self.error is None:
            self.session.navigateRequested.emit(self.session.field(self.path).indicator_id, self.path)


class NoteCommand(_Command):
    def __init__(self, session, handle, old: str, new: str):
        super().__init__(session, QCoreApplication.translate("Undo", "Edit the note of “{name}”").format(name=handle.name))
        self.h = handle
        self.old = old
        self.new = new

    def _set(self, note: str) -> None:
        if not self.h.alive:
            raise DossierError("The file is no longer in the project", "该文件已不在项目中", key="evidence.unknown")
        self.session.project.set_note(self.h.eid, note)
        self.h.note = note
        self.session.reload_evidence()

    def redo(self) -> None:
        self._guard(lambda: self._set(self.new))

    def undo(self) -> None:
        self._guard(lambda: self._set(self.old))


class _EvidenceCommand(_Command):
    """items: [(handle, indicator id, slot id)]"""

    def __init__(self, session, items: list, text: str):
        super().__init__(session, text)
        self.items = items

    def _remove(self) -> None:
        s = self.session
        stash_root = s.stash_dir()
        items = self.items

        def work(task, proj):
            removed = []
            try:
                for h, iid, _slot in items:
                    task.check()
                    ev = proj.evidence_item(h.eid)
                    h.note = ev.note
                    if len(ev.links) <= 1 and (h.stash is None or not h.stash.is_file()):
                        folder = stash_root / uuid.uuid4().hex
                        folder.mkdir()
                        task.status = h.name
                        h.stash = proj.extract(h.eid, folder / _safe_name(h.name), task=task)
                    proj.detach(h.eid, iid)
                    removed.append((h, iid, _slot))
            except BaseException:
                _restore_in(proj, removed, None)
                raise
            return removed

        self._run(work, QCoreApplication.translate("Undo", "Removing evidence…"))

    def _restore(self) -> None:
        items = self.items

        def work(task, proj):
            return _restore_in(proj, items, task)

        self._run(work, QCoreApplication.translate("Undo", "Restoring evidence…"))

    def _run(self, work, label: str) -> None:
        s = self.session
        outcome, res = s.run_job(work, label)
        for h, _iid, _slot in self.items:
            if h.alive:
                s.adopt(h)
        s.reload_evidence()
        if outcome == "cancelled":
            raise DossierError("Cancelled: nothing was changed", "已取消：未做任何修改", key="cancelled")
        if outcome == "failed":
            raise res
        if self.items:
            iid = self.items[0][1]
            s.navigateRequested.emit(iid, f"{iid}/#{self.items[0][2] or ''}")


def _restore_in(proj, items, task) -> list:
    """Relink items whose content is still stored; attach the stashed copy for the others."""
    for h, iid, slot in items:
        if task:
            task.check()
        ev = None
        if h.alive:
            try:
                ev = proj.evidence_item(h.eid)
            except DossierError:
                ev = None
            if ev is not None and ev.sha256 != h.sha256:
                ev = None  # the id was reused by another file
        if ev is not None:
            proj.relink(h.eid, [(iid, slot)])
            continue
        if h.stash is None or not h.stash.is_file():
            raise DossierError(f"The content of {h.name} is no longer available", f"{h.name} 的内容已不可用",
                               key="evidence.unknown")
        new = proj.attach(h.stash, iid, slot, note=h.note, task=task, name=h.name)
        h.eid = new.id
        h.alive = True
    return items


class AttachCommand(_EvidenceCommand):
    """Pushed after the files were attached (by the worker): the first redo does nothing."""

    def __init__(self, session, items: list):
        names = ", ".join(h.name for h, _i, _s in items[:3]) + ("…" if len(items) > 3 else "")
        super().__init__(session, items, QCoreApplication.translate("Undo", "Add evidence {names}").format(names=names))
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guard(self._restore)

    def undo(self) -> None:
        self._guard(self._remove)


class DetachCommand(_EvidenceCommand):
    def __init__(self, session, items: list):
        names = ", ".join(h.name for h, _i, _s in items[:3]) + ("…" if len(items) > 3 else "")
        super().__init__(session, items, QCoreApplication.translate("Undo", "Remove evidence {names}").format(names=names))

    def redo(self) -> None:
        self._guard(self._remove)

    def undo(self) -> None:
        self._guard(self._restore)
