"""The evidence store: files streamed into the project in chunks, hashed while streaming,
deduplicated by SHA-256, and linked to indicators (and evidence slots).

A file is stored once (`blobs` + `chunks`); `evidence` is a named use of it, `links` attach an
evidence item to indicators. Attaching runs in one transaction, so a cancel or a full disk rolls
the whole attach back.
"""

from __future__ import annotations

import json
import errno
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .. import fastzlib
from ..errors import DossierError, ProjectError, ValueProblem
from ..evidence_types import detect_type
from ..fsutil import atomic_output, ensure_free_space, is_disk_full, not_regular_error, open_regular
from ..tasks import TaskState
from .file import utcnow
from .names import clean_name, safe_file_name
from .streaming import HashedPrefetch, HashingReader, WritebackKicker

CHUNK_SIZE = 1 << 20  # 1 MiB: big enough for speed, small enough to keep memory flat
PREFIX_BYTES = 64 << 10  # how much of a file is compared with same-size stored files before hashing it twice
PREFIX_CANDIDATES = 16  # more same-size stored files than this: hash first, as before
STAMP_INDICATOR = "_stamp"  # the stamp page (盖章页) scan slot, outside the program's indicators


def read_blob(conn: sqlite3.Connection, blob_id: int, piece: int = CHUNK_SIZE) -> Iterator[bytes]:
    """A stored file's bytes from `conn` (the project's, or a reader's own connection on another
    thread: desktop.export.writer), at most `piece` bytes at a time. Incremental blob I/O: SQLite
    reads the overflow pages straight into the result, a third of the CPU of SELECTing each chunk
    (which copies it once more)."""
    rows = conn.execute("SELECT id, length(data) FROM chunks WHERE blob_id=? ORDER BY seq", (blob_id,)).fetchall()
    for rid, n in rows:
        with conn.blobopen("chunks", "data", rid, readonly=True) as b:
            off = 0
            while off < n:
                data = b.read(min(piece, n - off))
                if not data:
                    break
                off += len(data)
                yield data


def _err(en: str, zh: str, key: str) -> ProjectError:
    return ProjectError(en, zh, key=key)


def _changed() -> ProjectError:
    return _err("The evidence file changed while it was being read; nothing was changed. Try again",
                "读取过程中证明材料文件发生了变化；未做任何修改。请重试", "evidence.changed")


@dataclass
class EvidenceLink:
    indicator_id: str
    slot_id: str | None


@dataclass
class Evidence:
    id: int
    name: str
    size: int
    sha256: str
    mime: str
    note: str
    added_at: str
    blob_id: int
    links: list[EvidenceLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256, "type": self.mime,
            "note": self.note, "added_at": self.added_at,
            "links": [{"indicator": l.indicator_id, "slot": l.slot_id} for l in self.links],
        }


class EvidenceStore:
    """Mixed into Project: attach, list, detach and extract evidence."""

    def _slot_for(self, indicator_id: str, slot_id: str | None, name: str) -> str | None:
        if indicator_id == STAMP_INDICATOR:
            return "scan"
        ind = self.program.indicator(indicator_id)
        if ind is None:
            known = ", ".join(i.id for i in self.program.indicators())
            raise ValueProblem(f"Unknown indicator {indicator_id!r}; indicators are: {known}",
                               f"未知的指标 {indicator_id!r}；可用指标：{known}", key="indicator.unknown")
        ext = Path(name).suffix.lower().lstrip(".")
        if slot_id:
            slot = self.program.slot(indicator_id, slot_id)
            if slot is None:
                known = ", ".join(s.id for s in ind.evidence) or "(none)"
                raise ValueProblem(f"Indicator {indicator_id} has no evidence slot {slot_id!r}; slots: {known}",
                                   f"指标 {indicator_id} 没有证明材料栏目 {slot_id!r}；可用：{known}", key="slot.unknown")
            if slot.accept and ext not in slot.accept:
                raise ValueProblem(
                    f"{name}: slot “{slot.label.en}” accepts {', '.join(slot.accept)} files, not .{ext or '(none)'}",
                    f"{name}：“{slot.label.zh}”只接受 {'、'.join(slot.accept)} 文件，不接受 .{ext or '（无扩展名）'}",
                    key="slot.type",
                )
            return slot.id
        for slot in ind.evidence:  # first slot that accepts the file type
            if not slot.accept or ext in slot.accept:
                return slot.id
        return None

    def attach(self, src: str | os.PathLike, indicator_id: str, slot_id: str | None = None, note: str = "",
               task: TaskState | None = None, name: str | None = None) -> Evidence:
        """Stream a file into the project (one transaction) and link it to an indicator.

        Identical bytes are stored once. Attaching the same content to the same indicator twice is
        refused. Empty (0-byte) files are accepted (the CLI and UI warn); a cancel or a full disk
        rolls everything back.
        """
        return self.attach_many([src], indicator_id, slot_id, note, task, names=[name])[0]

    def attach_many(self, sources: list, indicator_id: str, slot_id: str | None = None, note: str = "",
                    task: TaskState | None = None, names: list | None = None) -> list[Evidence]:
        """Attach several files in ONE transaction: all of them or none (one commit, one set of
        fsyncs for the lot). Every file is checked (exists, regular, slot accepts it) and the free
        space for all of them is checked before anything is read."""
        plan = []
        for n, src in enumerate(sources):
            src = Path(src)
            name = clean_name((names[n] if names and n < len(names) else None) or src.name)
            shown = clean_name(str(src))
            size = self._regular_source(src, shown).st_size
            plan.append((src, name, shown, size, self._slot_for(indicator_id, slot_id, name)))
        self._check_space_for(sum(p[3] for p in plan), sizes=[p[3] for p in plan])
        if task:
            task.set_total(task.total + sum(p[3] for p in plan))
        ids = []
        with self._tx() as c:
            for src, name, shown, size, slot in plan:
                if task:
                    task.status = name
                ids.append(self._attach_file(c, src, name, shown, size, indicator_id, slot, note, task))
        return [self.evidence_item(i) for i in ids]

    @staticmethod
    def _regular_source(src: Path, shown: str) -> os.stat_result:
        try:
            st = os.stat(src)
        except FileNotFoundError:
            raise _err(f"Evidence file not found: {shown}", f"找不到证明材料文件：{shown}", "evidence.missing") from None
        except OSError as e:
            raise _err(f"Cannot read {shown}: {e.strerror}", f"无法读取 {shown}：{e.strerror}", "evidence.unreadable") from None
        if stat.S_ISDIR(st.st_mode):
            raise _err(f"{shown} is a folder; attach the files inside it instead",
                       f"{shown} 是文件夹；请添加其中的文件", "evidence.is_dir")
        if not stat.S_ISREG(st.st_mode):
            e = not_regular_error(shown, st.st_mode)
            raise _err(e.en, e.zh, "evidence.not_file")
        return st

    def _attach_file(self, c: sqlite3.Connection, src: Path, name: str, shown: str, size: int, indicator_id: str,
                     slot: str | None, note: str, task: TaskState | None) -> int:
        try:
            fh = open_regular(src, key="evidence.not_file")
        except DossierError as e:
            raise _err(e.en, e.zh, "evidence.not_file") from None
        except FileNotFoundError:
            raise _err(f"Evidence file not found: {shown}", f"找不到证明材料文件：{shown}", "evidence.missing") from None
        except OSError as e:
            raise _err(f"Cannot read {shown}: {e.strerror}", f"无法读取 {shown}：{e.strerror}", "evidence.unreadable") from None
        with fh:
            try:
                if os.fstat(fh.fileno()).st_size != size:
                    raise _changed()
                return self._attach_open(c, fh, size, name, indicator_id, slot, note, task)
            except OSError as e:  # reading the source failed (a removed stick, a bad sector)
                if is_disk_full(e):
                    raise _err("The disk is full: nothing was changed. Free some space and try again.",
                               "磁盘空间已满：未做任何修改。请释放空间后重试。", "disk.full") from None
                raise _err(f"Cannot read {shown}: {e.strerror or e}; nothing was changed",
                           f"无法读取 {shown}：{e.strerror or e}；未做任何修改", "evidence.unreadable") from None

    def _attach_open(self, c: sqlite3.Connection, fh, size: int, name: str, indicator_id: str, slot: str | None,
                     note: str, task: TaskState | None) -> int:
        head = fh.read(4096)
        fh.seek(0)
        mime = detect_type(head, name)
        blob_id, sha = self._store_blob(c, fh, size, mime, task)
        existing = c.execute("SELECT e.id FROM evidence e WHERE e.blob_id=?", (blob_id,)).fetchone()
        now = utcnow()
        if existing:
            ev_id = existing[0]
            dup = c.execute("SELECT 1 FROM links WHERE evidence_id=? AND indicator_id=?", (ev_id, indicator_id)).fetchone()
            if dup:
                other = c.execute("SELECT name FROM evidence WHERE id=?", (ev_id,)).fetchone()[0]
                raise _err(
                    f"{name}: the same file is already attached to {indicator_id} as #{ev_id} “{other}”",
                    f"{name}：相同内容的文件已作为 #{ev_id}“{other}”添加到指标 {indicator_id}",
                    "evidence.duplicate",
                )
        else:
            ev_id = c.execute("INSERT INTO evidence(blob_id, name, note, added_at) VALUES (?, ?, ?, ?)",
                              (blob_id, name, note, now)).lastrowid
        c.execute("INSERT INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
                  (ev_id, indicator_id, slot, now))
        c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'attach', ?, NULL, ?)",
                  (now, f"{indicator_id}/#{slot or ''}",
                   json.dumps({"evidence": ev_id, "name": name, "sha256": sha, "size": size}, ensure_ascii=False)))
        return ev_id

    def _check_space_for(self, size: int, sizes: list[int] | None = None) -> None:
        """Refuse early, with the figures, when the files cannot fit: their bytes, SQLite's page
        overhead (overflow pages: 4 bytes in 64 KiB), the journal of the pages the transaction
        changes; free pages inside the project count as free space. When a file's size matches
        stored content it may be a duplicate that needs no space: then let the write try."""
        if self.readonly or size < (1 << 20):
            return
        needed = size + size // 2000 + (256 << 10)
        c = self.conn
        reusable = c.execute("PRAGMA freelist_count").fetchone()[0] * c.execute("PRAGMA page_size").fetchone()[0]
        try:
            ensure_free_space(self.path.parent, needed, reusable=reusable, cls=ProjectError)
        except ProjectError:
            for n in sizes or [size]:
                if c.execute("SELECT 1 FROM blobs WHERE size=? LIMIT 1", (n,)).fetchone():
                    return
            raise

    def _may_be_stored(self, c: sqlite3.Connection, fh, size: int) -> bool:
        """Could this file be a copy of a stored one (so worth hashing in full before writing)?
        Only a stored file of the same size can be. For a large file, its first bytes are compared
        with those of each same-size stored file first: files of one size are common (a camera's
        or a scanner's, a batch of forms) and hashing each in full twice cost a third of an attach
        of 1 GiB (issue #17). A false "maybe" only costs that extra hash, never a wrong answer."""
        rows = c.execute("SELECT id FROM blobs WHERE size=? AND sha256 IS NOT NULL LIMIT ?",
                         (size, PREFIX_CANDIDATES + 1)).fetchall()
        if not rows:
            return False
        if size <= PREFIX_BYTES or len(rows) > PREFIX_CANDIDATES:
            return True  # small files hash in no time; many candidates: one hash beats many reads
        head = fh.read(PREFIX_BYTES)
        fh.seek(0)
        for (blob_id,) in rows:
            first = c.execute("SELECT id FROM chunks WHERE blob_id=? ORDER BY seq LIMIT 1", (blob_id,)).fetchone()
            if first is None:
                return True
            with c.blobopen("chunks", "data", first[0], readonly=True) as b:
                stored = b.read(PREFIX_BYTES)  # its first chunk may be shorter (an older chunk size)
            if head.startswith(stored):
                return True
        return False

    def _store_blob(self, c: sqlite3.Connection, fh, size: int, mime: str, task: TaskState | None) -> tuple[int, str]:
        """Stream a file into chunk rows of CHUNK_SIZE. A second thread reads and hashes the next
        chunk while this one stores the previous (desktop.project.streaming), and the project file's
        new pages are sent to the disk every 32 MiB, so the commit's fsync finds little left to do."""
        # Maybe the same bytes as a stored file? Then hash first, so duplicates are never written at all.
        if self._may_be_stored(c, fh, size):
            with HashingReader(fh) as rd:
                for part in rd:
                    if task:
                        task.check()
            row = c.execute("SELECT id FROM blobs WHERE sha256=?", (rd.sha256,)).fetchone()
            if row:
                if task:
                    task.advance(size)
                return row[0], rd.sha256
            fh.seek(0)
        blob_id = c.execute("INSERT INTO blobs(sha256, size, mime, chunk_size) VALUES (NULL, ?, ?, ?)",
                            (size, mime, CHUNK_SIZE)).lastrowid
        kick = WritebackKicker(self._writeback_fd())
        seq = 0
        crc = 0  # the CRC-32 a zip of this file will hold: an export checks its bytes by it (schema v3)
        with HashingReader(fh, CHUNK_SIZE) as rd:
            for part in rd:
                crc = fastzlib.crc32(part, crc)
                # incremental blob I/O: SQLite copies the bytes once, straight into its pages (an INSERT
                # binding them copies them once more first); a third less CPU for this step
                rid = c.execute("INSERT INTO chunks(blob_id, seq, data) VALUES (?, ?, zeroblob(?))",
                                (blob_id, seq, len(part))).lastrowid
                with c.blobopen("chunks", "data", rid) as b:
                    b.write(part)
                seq += 1
                kick.advance(len(part))
                if task:
                    task.advance(len(part))
        if rd.n != size:
            raise _changed()
        c.execute("UPDATE blobs SET sha256=?, crc32=? WHERE id=?", (rd.sha256, crc, blob_id))
        return blob_id, rd.sha256

    _EV_SQL = ("SELECT e.id, e.name, b.size, b.sha256, b.mime, e.note, e.added_at, e.blob_id, l.indicator_id, l.slot_id "
               "FROM evidence e JOIN blobs b ON b.id=e.blob_id LEFT JOIN links l ON l.evidence_id=e.id")

    def _evidence_rows(self, where: str = "", args: tuple = ()) -> list[Evidence]:
        rows = self.conn.execute(f"{self._EV_SQL} {where} ORDER BY e.id, l.rowid", args).fetchall()
        out: dict[int, Evidence] = {}
        for eid, name, size, sha, mime, note, at, bid, ind, slot in rows:
            ev = out.get(eid)
            if ev is None:
                ev = out[eid] = Evidence(eid, name, size, sha, mime, note or "", at, bid)
            if ind is not None:
                ev.links.append(EvidenceLink(ind, slot))
        return list(out.values())

    def evidence(self, indicator_id: str | None = None) -> list[Evidence]:
        if indicator_id is None:
            return self._evidence_rows()
        return self._evidence_rows("WHERE e.id IN (SELECT evidence_id FROM links WHERE indicator_id=?)", (indicator_id,))

    def evidence_item(self, eid: int) -> Evidence:
        items = self._evidence_rows("WHERE e.id=?", (eid,))
        if items:
            return items[0]
        raise _err(f"No evidence #{eid} in this project", f"本项目中没有编号为 #{eid} 的证明材料", "evidence.unknown")

    def evidence_counts(self) -> dict[str, int]:
        return {f"{i}/{s}": n for i, s, n in self.conn.execute(
            "SELECT indicator_id, slot_id, COUNT(*) FROM links WHERE slot_id IS NOT NULL GROUP BY indicator_id, slot_id")}

    def evidence_totals(self) -> tuple[int, int]:
        n, b = self.conn.execute("SELECT COUNT(*), COALESCE(SUM(b.size), 0) FROM evidence e JOIN blobs b ON b.id=e.blob_id").fetchone()
        return n, b

    def set_note(self, eid: int, note: str) -> None:
        ev = self.evidence_item(eid)
        with self._tx() as c:
            c.execute("UPDATE evidence SET note=? WHERE id=?", (note, eid))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'note', ?, ?, ?)",
                      (utcnow(), f"#{eid}", json.dumps(ev.note, ensure_ascii=False), json.dumps(note, ensure_ascii=False)))

    def detach(self, eid: int, indicator_id: str | None = None) -> None:
        """Remove an evidence link (or all links); content no longer referenced is deleted."""
        ev = self.evidence_item(eid)
        with self._tx() as c:
            if indicator_id is None:
                c.execute("DELETE FROM links WHERE evidence_id=?", (eid,))
            else:
                c.execute("DELETE FROM links WHERE evidence_id=? AND indicator_id=?", (eid, indicator_id))
            if not c.execute("SELECT 1 FROM links WHERE evidence_id=?", (eid,)).fetchone():
                c.execute("DELETE FROM evidence WHERE id=?", (eid,))
                if not c.execute("SELECT 1 FROM evidence WHERE blob_id=?", (ev.blob_id,)).fetchone():
                    c.execute("DELETE FROM chunks WHERE blob_id=?", (ev.blob_id,))
                    c.execute("DELETE FROM blobs WHERE id=?", (ev.blob_id,))
            c.execute("INSERT INTO history(at, action, path, old, new) VALUES (?, 'detach', ?, ?, NULL)",
                      (utcnow(), f"{indicator_id or '*'}/#", json.dumps(ev.to_dict(), ensure_ascii=False)))

    def relink(self, eid: int, links: list[tuple[str, str | None]]) -> None:
        """Restore an evidence item's links (undo of a detach when the content is still stored)."""
        with self._tx() as c:
            for ind, slot in links:
                c.execute("INSERT OR IGNORE INTO links(evidence_id, indicator_id, slot_id, added_at) VALUES (?, ?, ?, ?)",
                          (eid, ind, slot, utcnow()))

    def recorded_crc32s(self) -> dict[int, int]:
        """{blob id: CRC-32} of the stored files whose CRC-32 attach recorded (schema v3)."""
        return dict(self.conn.execute("SELECT id, crc32 FROM blobs WHERE crc32 IS NOT NULL"))

    def read_chunks(self, blob_id: int, piece: int = CHUNK_SIZE) -> Iterator[bytes]:
        """Stream a blob's bytes, at most `piece` bytes at a time (memory stays flat for multi-GB
        evidence)."""
        return read_blob(self.conn, blob_id, piece)

    def extract(self, eid: int, out: str | os.PathLike, task: TaskState | None = None) -> Path:
        """Write evidence `eid` to `out` (a file, or a folder to put it in by its original name)."""
        ev = self.evidence_item(eid)
        out = Path(out)
        try:
            if out.is_dir():
                out = out / safe_file_name(ev.name)
            folder_ok = out.parent.is_dir()
        except OSError as e:
            raise _err(f"Cannot write {clean_name(str(out))}: {e.strerror}", f"无法写入 {clean_name(str(out))}：{e.strerror}",
                       "extract.failed") from None
        if not folder_ok:
            raise _err(f"Folder {clean_name(str(out.parent))} does not exist", f"文件夹 {clean_name(str(out.parent))} 不存在",
                       "extract.no_folder")
        ensure_free_space(out.parent, ev.size + (64 << 10), output=True, cls=ProjectError)
        from ..housekeeping import clean_folder

        clean_folder(out.parent)
        if task:
            task.set_total(ev.size)
        try:
            with atomic_output(out, private=False) as (fh, _tmp), HashedPrefetch(self.read_chunks(ev.blob_id)) as src:
                kick = WritebackKicker(fh.fileno(), start=0)
                for data in src:
                    fh.write(data)
                    kick.advance(len(data))
                    if task:
                        task.advance(len(data))
                if src.sha256 != ev.sha256:
                    raise _err(f"Evidence #{eid} is damaged inside the project (checksum mismatch); nothing was written",
                               f"项目中的证明材料 #{eid} 已损坏（校验值不符）；未写入任何内容", "evidence.corrupt")
        except OSError as e:
            if is_disk_full(e):
                raise _err("The disk is full; nothing was written", "磁盘空间已满，未写入任何内容", "disk.full") from None
            shown = clean_name(str(out))
            if e.errno == errno.ENAMETOOLONG:
                raise _err(f"The file name is too long for this disk: {shown}", f"文件名对此磁盘而言过长：{shown}",
                           "extract.name_too_long") from None
            raise _err(f"Cannot write {shown}: {e.strerror}", f"无法写入 {shown}：{e.strerror}", "extract.failed") from None
        except sqlite3.DatabaseError as e:
            raise _err(f"Evidence #{eid} cannot be read from the project ({e}): the project file is damaged; "
                       "nothing was written", f"无法从项目中读取证明材料 #{eid}（{e}）：项目文件已损坏；未写入任何内容",
                       "project.corrupt") from None
        return out
