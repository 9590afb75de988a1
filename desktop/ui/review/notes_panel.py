"""The "Reviewer notes" panel beside each indicator, and the badges in the indicator tree.

One panel, two sources:
- the applicant's project (`ProjectNotesSource`): notes imported from a review notes file; each can
  be answered and marked resolved (the reply goes back with the next export);
- a package on the reviewer's desk (`ReviewNotesSource`): the reviewer writes notes per indicator,
  optionally on one evidence file; notes not yet sent can be edited or deleted.

`install_notes_panel(window, source=None)` adds it to a MainWindow's side column (for the
applicant's own projects the source is the project), follows the selected indicator and keeps the
tree's badges (open notes per indicator) up to date. The panel stays hidden while a project has
no reviewer notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..dialogs import show_error
from ..i18n import lang

BADGE_COLOR = "#b06000"


@dataclass
class NoteView:
    id: str
    indicator: str | None
    evidence: str | None
    text: str
    author: str
    at: str
    state: str  # open | resolved | draft (reviewer, not sent) | sent
    reply: str = ""


class ProjectNotesSource:
    """The applicant's project: imported notes, replies, resolved/open."""

    editable = False

    def __init__(self, session):
        self.session = session

    @property
    def replyable(self) -> bool:
        return not self.session.readonly

    def _proj(self):
        return self.session.project

    def has_notes(self) -> bool:
        try:
            return self._proj().conn.execute("SELECT 1 FROM review_notes LIMIT 1").fetchone() is not None
        except Exception:  # noqa: BLE001 - a project without the v2 tables has no notes
            return False

    def notes(self, indicator: str | None) -> list[NoteView]:
        from ...review.applicant import project_notes

        out = []
        for n in project_notes(self._proj()):
            if n.indicator_id == indicator or (n.indicator_id is None and indicator is not None):
                out.append(NoteView(n.id, n.indicator_id, n.evidence_name, n.text, n.author, n.created_at, n.state,
                                    n.reply))
        return out

    def counts(self) -> dict[str | None, int]:
        from ...review.applicant import open_counts

        try:
            return open_counts(self._proj())
        except Exception:  # noqa: BLE001
            return {}

    def reply(self, note_id: str, text: str, resolved: bool | None) -> None:
        from ...review.applicant import reply

        reply(self._proj(), note_id, text, resolved=resolved)

    def evidence_choices(self, indicator):
        return []


class ReviewNotesSource:
    """One package in a review file: the reviewer's notes on it."""

    editable = True
    replyable = False

    def __init__(self, review_path, package_id: int):
        self.review_path = review_path
        self.package_id = package_id

    def _open(self, readonly: bool = True):
        from ...review import Review

        return Review.open(self.review_path, readonly=readonly)

    def has_notes(self) -> bool:
        return True

    def notes(self, indicator: str | None) -> list[NoteView]:
        with self._open() as rv:
            return [NoteView(n.id, n.indicator_id, n.evidence_name, n.text, n.author, n.created_at,
                             "sent" if n.notes_file else "draft")
                    for n in rv.notes(self.package_id) if n.indicator_id == indicator
                    or (n.indicator_id is None and indicator is not None)]

    def counts(self) -> dict[str | None, int]:
        with self._open() as rv:
            out: dict[str | None, int] = {}
            for n in rv.notes(self.package_id):
                out[n.indicator_id] = out.get(n.indicator_id, 0) + 1
            return out

    def evidence_choices(self, indicator: str | None) -> list[tuple[str, str]]:
        with self._open() as rv:
            rec = rv.package(self.package_id)
        return [(e["name"], e["path"]) for e in (rec.answers or {}).get("evidence") or () if e["indicator"] == indicator]

    def add(self, indicator: str | None, text: str, evidence: str | None) -> None:
        with self._open(readonly=False) as rv:
            rv.add_note(self.package_id, text, indicator=indicator, evidence=evidence, author=rv.meta().get("reviewer", ""))

    def edit(self, note_id: str, text: str) -> None:
        with self._open(readonly=False) as rv:
            rv.edit_note(note_id, text)

    def delete(self, note_id: str) -> None:
        with self._open(readonly=False) as rv:
            rv.delete_note(note_id)


class NotesPanel(QWidget):
    changed = Signal()  # a note was added, edited, answered: badges refresh

    def __init__(self, source, parent=None):
        super().__init__(parent)
        self.setObjectName("reviewNotesPanel")
        self.source = source
        self.indicator: str | None = None
        self._notes: list[NoteView] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.caption = QLabel(self)
        self.caption.setObjectName("panelTitle")
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(self._selected)
        self.empty = QLabel(self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setMaximumHeight(90)
        self.evidence = QComboBox(self)
        row = QHBoxLayout()
        self.new_btn = QPushButton(self)  # reviewer: start a new note (leaves the selected one)
        self.new_btn.clicked.connect(self._new)
        self.secondary = QPushButton(self)  # reviewer: Delete note / applicant: Reply, keep open
        self.secondary.clicked.connect(self._secondary)
        self.primary = QPushButton(self)  # reviewer: Add / Save note / applicant: Reply and mark resolved
        self.primary.clicked.connect(self._primary)
        row.addWidget(self.evidence, 1)
        row.addWidget(self.new_btn)
        row.addWidget(self.secondary)
        row.addWidget(self.primary)
        lay.addWidget(self.caption)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.empty)
        lay.addWidget(self.editor)
        lay.addLayout(row)
        self.caption.setBuddy(self.list)
        self.retranslate()

    # ------------------------------------------------------------ data

    def set_indicator(self, iid: str | None) -> None:
        self.indicator = iid
        self.refresh()

    def refresh(self) -> None:
        try:
            self._notes = self.source.notes(self.indicator)
        except Exception as e:  # noqa: BLE001 - e.g. the review file was moved away: say so, keep the window
            self._notes = []
            show_error(self, self.tr("Reviewer notes"), e)
        self.list.blockSignals(True)
        self.list.clear()
        for n in self._notes:
            head = []
            if n.indicator is None:
                head.append(self.tr("On the whole application"))
            if n.evidence:
                head.append(self.tr("File: {name}").format(name=n.evidence))
            head.append(self._state_text(n.state))
            text = " · ".join(head) + "\n" + n.text
            if n.reply:
                text += "\n" + self.tr("Reply: {reply}").format(reply=n.reply)
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, n.id)
            it.setToolTip(f"{n.author} {n.at}".strip())
            if n.state in ("open", "draft"):
                it.setForeground(QBrush(QColor(BADGE_COLOR)))
            self.list.addItem(it)
        self.list.blockSignals(False)
        self.empty.setVisible(not self._notes)
        if self.source.editable:
            self.evidence.clear()
            self.evidence.addItem(self.tr("(the indicator as a whole)"), None)
            try:
                for name, path in self.source.evidence_choices(self.indicator):
                    self.evidence.addItem(self.tr("File: {name}").format(name=name), path)
            except Exception:  # noqa: BLE001 - no list, still a note on the indicator
                pass
        self._update_buttons()

    def current(self) -> NoteView | None:
        row = self.list.currentRow()
        return self._notes[row] if 0 <= row < len(self._notes) else None

    def _selected(self, _row: int) -> None:
        n = self.current()
        if n is not None and (self.source.replyable or (self.source.editable and n.state == "draft")):
            self.editor.setPlainText(n.reply if self.source.replyable else n.text)
        self._update_buttons()

    def _state_text(self, state: str) -> str:
        return {"open": self.tr("open"), "resolved": self.tr("resolved"), "draft": self.tr("not sent yet"),
                "sent": self.tr("sent")}.get(state, state)

    def _editing(self) -> NoteView | None:
        n = self.current()
        return n if self.source.editable and n is not None and n.state == "draft" else None

    # ------------------------------------------------------------ actions

    def _new(self) -> None:
        self.list.setCurrentRow(-1)
        self.editor.clear()
        self.editor.setFocus()
        self._update_buttons()

    def _primary(self) -> None:
        text = self.editor.toPlainText().strip()
        try:
            if self.source.editable:
                n = self._editing()
                if n is not None:
                    self.source.edit(n.id, text)
                else:
                    self.source.add(self.indicator, text, self.evidence.currentData())
                self.editor.clear()
            else:
                n = self.current()
                if n is None:
                    return
                self.source.reply(n.id, text, True)
        except Exception as e:  # noqa: BLE001 - the core's refusal, shown as a dialog
            show_error(self, self.tr("Reviewer notes"), e)
            return
        self.refresh()
        self.changed.emit()

    def _secondary(self) -> None:
        n = self.current()
        if n is None:
            return
        try:
            if self.source.editable:
                self.source.delete(n.id)
                self.editor.clear()
            else:
                self.source.reply(n.id, self.editor.toPlainText().strip(), False)
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Reviewer notes"), e)
            return
        self.refresh()
        self.changed.emit()

    def _update_buttons(self) -> None:
        n = self.current()
        if self.source.editable:
            editing = self._editing() is not None
            self.primary.setText(self.tr("&Save note") if editing else self.tr("&Add note"))
            self.secondary.setText(self.tr("&Delete note"))
            self.secondary.setEnabled(editing)
            self.new_btn.setVisible(True)
            self.new_btn.setEnabled(n is not None)
            self.evidence.setVisible(not editing)
        else:
            can = self.source.replyable
            for w in (self.editor, self.primary, self.secondary):
                w.setVisible(can)
            self.evidence.setVisible(False)
            self.new_btn.setVisible(False)
            self.primary.setText(self.tr("Reply and mark &resolved"))
            self.secondary.setText(self.tr("Reply, keep &open"))
            self.primary.setEnabled(can and n is not None)
            self.secondary.setEnabled(can and n is not None)

    def retranslate(self) -> None:
        self.caption.setText(self.tr("&Reviewer notes"))
        self.list.setAccessibleName(self.tr("Reviewer notes"))
        self.new_btn.setText(self.tr("&New note"))
        if self.source.editable:
            self.empty.setText(self.tr("No notes on this indicator yet. Write one below, e.g. “补充…证明材料” or "
                                       "“数据与附件不一致”."))
            self.editor.setPlaceholderText(self.tr("A note for the applicant on this indicator…"))
            self.evidence.setAccessibleName(self.tr("The note is about"))
        else:
            self.empty.setText(self.tr("The reviewer wrote no notes on this indicator."))
            self.editor.setPlaceholderText(self.tr("Your reply: what you changed, or why nothing needed changing…"))
        self.editor.setAccessibleName(self.editor.placeholderText())
        self.refresh()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


# ---------------------------------------------------------------- badges in the tree


def apply_badges(nav, counts: dict[str | None, int]) -> None:
    """A second column in the navigation tree: the number of open notes on each indicator."""
    tree = nav.tree
    if tree.columnCount() < 2:
        tree.setColumnCount(2)
        h = tree.header()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    for iid, it in nav.items.items():
        n = counts.get(iid, 0)
        it.setText(1, f"● {n}" if n else "")
        it.setForeground(1, QBrush(QColor(BADGE_COLOR)))
        tip = QCoreApplication.translate("NotesPanel", "Open reviewer notes: {n}").format(n=n) if n else ""
        it.setToolTip(1, tip)
        it.setData(1, Qt.ItemDataRole.AccessibleTextRole, tip)


def install_notes_panel(window, source=None) -> NotesPanel | None:
    """Add the reviewer notes panel to a MainWindow (see the module docstring)."""
    src = source or ProjectNotesSource(window.session)
    old = getattr(window, "review_notes", None)
    if old is not None:  # a package on the desk: the reviewer's notes replace the applicant's panel
        old.hide()
        old.setParent(None)
        old.deleteLater()
    panel = NotesPanel(src, window)
    window.side.addWidget(panel)
    window.side.setStretchFactor(window.side.count() - 1, 2)
    window.review_notes = panel

    def update() -> None:
        has = src.has_notes()
        panel.setVisible(has)
        try:
            counts = src.counts() if has else {}
        except Exception:  # noqa: BLE001 - badges are a hint; the panel says what went wrong
            counts = {}
        apply_badges(window.nav, counts)

    window.nav.indicatorSelected.connect(panel.set_indicator)
    panel.changed.connect(update)
    panel.refresh_badges = update
    cur = window.nav.current()
    if cur:
        panel.set_indicator(cur)
    update()
    return panel


def import_notes_dialog(window) -> None:
    """File → Import reviewer notes…: choose a .dossier-notes file and import it into the project."""
    from PySide6.QtWidgets import QFileDialog

    from ..dialogs import message
    from ..settings import Settings

    if window.session.readonly:
        message(window, "info", QCoreApplication.translate("NotesPanel", "Import reviewer notes"),
                QCoreApplication.translate("NotesPanel", "The project is open read-only: copy it to a writable place to import notes."))
        return
    st = Settings()
    path, _ = QFileDialog.getOpenFileName(window, QCoreApplication.translate("NotesPanel", "Import reviewer notes"), st.last_folder(),
                                          QCoreApplication.translate("NotesPanel", "Review notes (*.dossier-notes);;All files (*)"))
    if not path:
        return
    import_file(window, path)


def import_file(window, path) -> bool:
    from ...review.applicant import import_notes
    from ..dialogs import message

    window.session.flush()
    window.session.wait_idle()
    try:
        res = import_notes(window.session.project, path)
    except Exception as e:  # noqa: BLE001 - foreign, tampered, too new: the core's message
        show_error(window, QCoreApplication.translate("NotesPanel", "Import reviewer notes"), e)
        return False
    L = lang()
    if res.already:
        text = QCoreApplication.translate("NotesPanel", "These reviewer notes were imported before: nothing changed.")
    else:
        n = res.added
        text = QCoreApplication.translate("NotesPanel", "Reviewer notes imported: {n}. They are shown beside each "
                                          "indicator; reply to each and mark it resolved — your replies go with the "
                                          "next export.").format(n=n)
    info = []
    if res.signed:
        info.append(QCoreApplication.translate("NotesPanel", "Signed by {signer}, fingerprint {fingerprint}.").format(
            signer=res.signer, fingerprint=res.fingerprint))
    info += [zh if L == "zh" else en for en, zh in res.warnings]
    message(window, "info", QCoreApplication.translate("NotesPanel", "Import reviewer notes"), text, "\n".join(info))
    panel = getattr(window, "review_notes", None)
    if panel is not None:
        panel.refresh()
        panel.refresh_badges()
    return True

