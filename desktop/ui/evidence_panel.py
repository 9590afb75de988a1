"""Evidence of the current indicator: its slots and the files attached to each.

Add files by dropping them on a slot, anywhere on the window (the first slot that accepts the
type), or with Add…; remove; edit a file's note; preview images, PDFs and text (under the list, and
in the preview window on double-click or Enter); open a file with the system viewer (extracted
to a temporary folder first; without a viewer the user is told where the copy is). Dropping and Add… share one code path:
`EvidencePanel.add_files` → ProjectSession.attach_files (background job, progress, Cancel, undo).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import DossierError
from ..evidence_types import name_mismatch
from ..project import safe_file_name as _safe_name
from .dialogs import open_with_system, warn
from .evidence_preview import EvidencePreview, _size
from .fonts import visible
from .i18n import lang
from .nav_tree import status_icon
from .worker import Job

SLOT_ROLE = Qt.ItemDataRole.UserRole
EID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_SLOT = "\x00"  # files linked without a slot


def local_files(mime) -> list[Path]:
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


class MiddleElideDelegate(QStyledItemDelegate):
    """A file name elides in the middle ("报告-2024…最终版.pdf"): its start and its extension stay
    visible. Slot names elide at the end, like other titles."""

    def initStyleOption(self, option, index):  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        if index.data(EID_ROLE) is not None:
            option.textElideMode = Qt.TextElideMode.ElideMiddle


class EvidenceTree(QTreeWidget):
    filesDropped = Signal(list, object)  # paths, slot id (None: let the core choose)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.readonly = False

    def slot_at(self, pos) -> str | None:
        it = self.itemAt(pos)
        while it is not None and it.data(0, SLOT_ROLE) is None:
            it = it.parent()
        if it is None:
            return None
        s = it.data(0, SLOT_ROLE)
        return None if s == NO_SLOT else s

    def dragEnterEvent(self, ev):  # noqa: N802
        if not self.readonly and local_files(ev.mimeData()):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev):  # noqa: N802
        if not self.readonly and local_files(ev.mimeData()):
            it = self.itemAt(ev.position().toPoint())
            if it is not None:
                self.setCurrentItem(it)
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dropEvent(self, ev):  # noqa: N802
        files = local_files(ev.mimeData())
        if self.readonly or not files:
            ev.ignore()
            return
        ev.acceptProposedAction()
        self.filesDropped.emit(files, self.slot_at(ev.position().toPoint()))


class EvidencePanel(QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.iid: str | None = None
        self.last_job: Job | None = None
        self.last_preview = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setObjectName("panelTitle")
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.tree = EvidenceTree(self)
        self.tree.setColumnCount(3)
        self.tree.setUniformRowHeights(True)
        # names take the width and are elided with the full text as tooltip: no horizontal scrolling
        hh = self.tree.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setItemDelegateForColumn(0, MiddleElideDelegate(self.tree))  # a file name keeps its extension
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.readonly = session.readonly
        self.tree.filesDropped.connect(lambda files, slot: self.add_files(files, slot))
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(self._activated)
        buttons = QHBoxLayout()
        self.add_btn = QPushButton(self)
        self.remove_btn = QPushButton(self)
        self.note_btn = QPushButton(self)
        self.open_btn = QPushButton(self)
        for b in (self.add_btn, self.remove_btn, self.note_btn, self.open_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.add_btn.clicked.connect(self.add_dialog)
        self.remove_btn.clicked.connect(self.remove_selected)
        self.note_btn.clicked.connect(self.edit_note_dialog)
        self.open_btn.clicked.connect(self.open_selected)
        for seq, fn in ((QKeySequence.StandardKey.Delete, self.remove_selected), ("F2", self.edit_note_dialog)):
            sc = QShortcut(QKeySequence(seq), self.tree)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(fn)
        self.preview = EvidencePreview(self)
        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.caption)
        tl.addWidget(self.hint)
        tl.addWidget(self.tree, 1)
        tl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay.addWidget(split)
        session.evidenceChanged.connect(self.refresh)
        session.attachFinished.connect(self._attach_finished)
        self.retranslate()

    # ------------------------------------------------------------ display

    def set_indicator(self, iid: str) -> None:
        if iid == self.iid:
            return
        self.iid = iid
        self.preview.clear()
        self.refresh()

    def refresh(self) -> None:
        keep = self._evidence_of(self.tree.currentItem())
        keep_id = keep.id if keep is not None else None
        self.tree.blockSignals(True)  # rebuilding is not the user changing the selection
        try:
            self._rebuild()
            again = self._item_of(keep_id) if keep_id is not None else None
            if again is not None:
                self.tree.setCurrentItem(again)
        finally:
            self.tree.blockSignals(False)
        cur = self._evidence_of(self.tree.currentItem())
        if cur is None:
            self.preview.clear()  # the file it showed was removed, or nothing is selected: no stale preview
        elif self.preview.evidence_id != cur.id:
            self.preview.show_evidence(self.session, cur)
        self._update_buttons()

    def _item_of(self, eid: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, EID_ROLE) == eid:
                    return top.child(j)
        return None

    def _rebuild(self) -> None:
        self.tree.clear()
        if self.iid is None:
            return
        ind = self.session.program.indicator(self.iid)
        L = lang()
        slot_items: dict[str | None, QTreeWidgetItem] = {}
        for slot in ind.evidence:
            si = QTreeWidgetItem(self.tree)
            si.setData(0, SLOT_ROLE, slot.id)
            n = self.session.evidence_count(self.iid, slot.id)
            need = slot.min_count
            label = slot.label.get(L) + (" *" if need else "")
            si.setText(0, label)
            si.setText(1, f"{n}/{need}" if need else str(n))
            tip = [slot.label.get(L)]
            if slot.help:
                tip.append(slot.help.get(L))
            if slot.accept:
                tip.append(self.tr("Accepted types: {types}").format(types=", ".join(slot.accept)))
            tip.append(self.tr("Drop files here to add them to this slot"))
            si.setToolTip(0, "\n".join(tip))
            si.setText(2, ", ".join(slot.accept) if slot.accept else self.tr("any type"))
            si.setIcon(0, status_icon("complete" if n >= need and n else ("problems" if need else "empty")))
            f = si.font(0)
            f.setBold(True)
            si.setFont(0, f)
            si.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled)
            slot_items[slot.id] = si
        # the file rows are made unparented and added per slot in one call, and only the slot rows
        # are expanded: 2,000 files one insertion (and one expandAll walk) at a time cost ~40 ms more
        children: dict[QTreeWidgetItem, list[QTreeWidgetItem]] = {}
        grey = QBrush(QColor("#5f6368"))
        zh = L == "zh"
        shown_as = self.tr("Shown as {shown}: this computer has no font for some of its characters")
        iid = self.iid
        for ev in self.session.evidence(iid):
            slot_id = next((l.slot_id for l in ev.links if l.indicator_id == iid), None)
            parent = slot_items.get(slot_id)
            if parent is None:
                parent = slot_items.get(NO_SLOT)
                if parent is None:
                    parent = QTreeWidgetItem(self.tree)
                    parent.setData(0, SLOT_ROLE, NO_SLOT)
                    parent.setText(0, self.tr("Other files"))
                    slot_items[NO_SLOT] = parent
            it = QTreeWidgetItem()
            it.setData(0, EID_ROLE, ev.id)
            shown = visible(ev.name)  # what no font here draws is shown as [U+XXXX]; the name itself is kept
            it.setText(0, shown)
            it.setText(1, _size(ev.size))
            if ev.note:
                it.setText(2, visible(ev.note))
                it.setToolTip(2, ev.note)
            tip = [ev.name, ev.mime, f"SHA-256 {ev.sha256}"]
            mismatch = name_mismatch(ev.name, ev.mime)
            if mismatch:
                it.setIcon(0, status_icon("problems"))
                tip.insert(1, mismatch[1] if zh else mismatch[0])
            if shown != ev.name:
                tip.insert(1, shown_as.format(shown=shown))
            it.setToolTip(0, "\n".join(tip))
            it.setForeground(2, grey)
            children.setdefault(parent, []).append(it)
        for parent, items in children.items():
            parent.addChildren(items)
        if not ind.evidence and not slot_items:
            empty = QTreeWidgetItem(self.tree)
            empty.setData(0, SLOT_ROLE, NO_SLOT)
            empty.setText(0, self.tr("No evidence is asked for here; you may still add files"))
            empty.setToolTip(0, empty.text(0))
            empty.setFirstColumnSpanned(True)
        for i in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(i).setExpanded(True)

    def _current_changed(self, cur, _prev) -> None:
        self._update_buttons()
        ev = self._evidence_of(cur)
        if ev is not None:
            self.preview.show_evidence(self.session, ev)
        else:
            self.preview.clear()  # a slot, or nothing, is selected: no file's preview stays

    def _activated(self, item, _col) -> None:
        if item is not None and item.data(0, EID_ROLE) is not None:
            self.preview_selected()

    def preview_selected(self):
        """The in-app preview window of the selected file (double-click, Enter)."""
        from .preview_dialog import PreviewDialog

        eids = self.selected_eids()
        ev = next((e for e in self.session.evidence(self.iid) if eids and e.id == eids[0]), None)
        if ev is None:
            return None
        dlg = PreviewDialog(self.session, ev, self.window(), open_external=self.open_selected)
        dlg.show()
        self.last_preview = dlg
        return dlg

    def _evidence_of(self, item):
        if item is None:
            return None
        eid = item.data(0, EID_ROLE)
        if eid is None:
            return None
        return next((e for e in self.session.evidence(self.iid) if e.id == eid), None)

    def selected_eids(self) -> list[int]:
        out = []
        for it in self.tree.selectedItems() or ([self.tree.currentItem()] if self.tree.currentItem() else []):
            eid = it.data(0, EID_ROLE)
            if eid is not None and eid not in out:
                out.append(eid)
        return out

    def current_slot(self) -> str | None:
        it = self.tree.currentItem()
        while it is not None and it.data(0, SLOT_ROLE) is None:
            it = it.parent()
        if it is None:
            return None
        s = it.data(0, SLOT_ROLE)
        return None if s == NO_SLOT else s

    def select_slot(self, slot_id: str | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, SLOT_ROLE) == (slot_id or NO_SLOT):
                self.tree.setCurrentItem(it)
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _update_buttons(self) -> None:
        ro = self.session.readonly or not self.session.editable(self.iid)  # hand-off: assigned indicators only
        has = bool(self.selected_eids())
        self.add_btn.setEnabled(not ro)
        self.remove_btn.setEnabled(not ro and has)
        self.note_btn.setEnabled(not ro and has)
        self.open_btn.setEnabled(has)

    # ------------------------------------------------------------ actions

    def add_files(self, paths, slot_id: str | None = None) -> Job | None:
        """THE way files get attached (drop on a slot, drop on the window, Add…)."""
        if self.iid is None or not paths:
            return None
        try:
            self.last_job = self.session.attach_files([Path(p) for p in paths], self.iid, slot_id,
                                                      self.tr("Adding evidence files…"))
        except DossierError as e:
            warn(self, self.tr("Evidence"), e.text(lang()))
            return None
        return self.last_job

    def _attach_finished(self, done: list, errors: list) -> None:
        odd = [m for m in (name_mismatch(ev.name, ev.mime) for ev in done) if m]
        if odd:  # attached (the user may know better), but a name that lies about the content is said
            lines = "\n".join("• " + (zh if lang() == "zh" else en) for en, zh in odd[:10])
            warn(self, self.tr("Evidence"), self.tr("%n file(s) were added, but their content is not what their name says:",
                                                    "", len(odd)) + "\n\n" + lines,
                 self.tr("Reviewers see the type found in the content. Remove the file and add the right one if it "
                         "is a mistake."))
        if errors:
            lines = "\n".join("• " + e.text(lang()) for e in errors[:10])
            if done:
                head = self.tr("{n} files were added; these were not:").format(n=len(done))
            else:
                head = self.tr("These files were not added:")
            warn(self, self.tr("Evidence"), f"{head}\n\n{lines}")

    def add_dialog(self) -> None:
        if self.session.readonly or self.iid is None:
            return
        slot_id = self.current_slot()
        filt = self.tr("All files (*)")
        if slot_id:
            slot = self.session.program.slot(self.iid, slot_id)
            if slot and slot.accept:
                pats = " ".join(f"*.{e} *.{e.upper()}" for e in slot.accept)
                filt = self.tr("Accepted files ({patterns})").format(patterns=pats) + ";;" + filt
        from .settings import Settings

        st = Settings()
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add evidence files"), st.last_folder(), filt)
        if files:
            st.set_last_folder(str(Path(files[0]).parent))
            self.add_files(files, slot_id)

    def remove_selected(self) -> None:
        from .undo import DetachCommand

        eids = self.selected_eids()
        if not eids or self.session.readonly:
            return
        items = []
        for eid in eids:
            ev = next((e for e in self.session.evidence(self.iid) if e.id == eid), None)
            if ev is None:
                continue
            slot = next((l.slot_id for l in ev.links if l.indicator_id == self.iid), None)
            items.append((self.session.handle(eid), self.iid, slot))
        if items:
            self.session.wait_idle()
            self.session.undo_stack.push(DetachCommand(self.session, items))

    def edit_note_dialog(self) -> None:
        eids = self.selected_eids()
        if not eids or self.session.readonly:
            return
        h = self.session.handle(eids[0])
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Note"),
                                                 self.tr("Note for {name} (reviewers see it in the evidence list):").format(name=h.name),
                                                 h.note)
        if ok:
            self.set_note(eids[0], text)

    def set_note(self, eid: int, text: str) -> None:
        try:
            self.session.set_note(eid, text.strip())
        except DossierError as e:
            warn(self, self.tr("Note"), e.text(lang()))

    def open_selected(self) -> Job | None:
        eids = self.selected_eids()
        if not eids:
            return None
        eid = eids[0]
        h = self.session.handle(eid)
        folder = self.session.stash_dir() / "open" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        target = folder / _safe_name(h.name)

        def work(task, proj):
            return proj.extract(eid, target, task=task)

        job = Job(work, project_path=self.session.path, readonly=True)
        job.succeeded.connect(lambda p: open_with_system(self.window(), p))  # no viewer: says so, and where
        job.failed.connect(lambda e: warn(self, self.tr("Open"), e.text(lang()) if isinstance(e, DossierError) else str(e)))
        job.start(self.window(), self.tr("Preparing {name}…").format(name=h.name))
        self.last_job = job
        return job

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Evidence"))
        self.hint.setText(self.tr("Drag files onto a slot (or anywhere on the window), or use Add…"))
        self.tree.setHeaderLabels([self.tr("Slot / file"), self.tr("Files / size"), self.tr("Types / note")])
        self.tree.setColumnWidth(2, max(90, self.fontMetrics().horizontalAdvance(self.tr("Types / note")) + 16))
        self.tree.setAccessibleName(self.tr("Evidence slots and files"))
        self.add_btn.setText(self.tr("Add…"))
        self.add_btn.setToolTip(self.tr("Add files to the selected slot"))
        self.remove_btn.setText(self.tr("Remove"))
        self.note_btn.setText(self.tr("Note…"))
        self.note_btn.setToolTip(self.tr("Edit the note of the selected file (F2)"))
        self.open_btn.setText(self.tr("Open"))
        self.open_btn.setToolTip(self.tr("Open the selected file with the system viewer (double-click or Enter previews it here)"))
        self.refresh()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
