"""File → Return to lead… (a partner's hand-off file): what changed since the hand-off, a note to
the lead, optionally sign, and where the return file goes. Calls desktop.handoff.make_return (the
same service as `dossier handoff return`)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QVBoxLayout)

from ...handoff import RETURN_SUFFIX, collect_changes, make_return, out_of_scope
from ...project import safe_file_name
from ..dialogs import message, show_error


class ReturnDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.mark = session.handoff
        self.result = None
        self.setObjectName("returnDialog")
        self.setMinimumWidth(620)
        session.flush()
        changes = collect_changes(session.project, self.mark)
        changes.pop("_links", None)
        self.changes = changes
        self.outside = out_of_scope(changes, self.mark)
        lay = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.outside_label = QLabel(self)
        self.outside_label.setObjectName("error")
        self.outside_label.setWordWrap(True)
        self.outside_label.setVisible(bool(self.outside))
        lay.addWidget(self.outside_label)
        self.note_label = QLabel(self)
        lay.addWidget(self.note_label)
        self.note = QPlainTextEdit(self)
        self.note.setMaximumHeight(90)
        lay.addWidget(self.note)
        self.sign = QCheckBox(self)
        try:
            from ...identity import store

            self.sign.setEnabled(store.exists())
        except Exception:  # noqa: BLE001 - no identity support: the box stays off
            self.sign.setEnabled(False)
        lay.addWidget(self.sign)
        row = QHBoxLayout()
        self.out_label = QLabel(self)
        self.out_edit = QLineEdit(self)
        self.out_edit.setText(str(self._default_out()))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.out_label)
        row.addWidget(self.out_edit, 1)
        row.addWidget(self.browse)
        lay.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.retranslate()

    def _default_out(self) -> Path:
        folder = self.session.path.parent
        if not os.access(folder, os.W_OK):  # a hand-off opened from a CD or a locked stick
            folder = Path.home()
        return folder / safe_file_name(f"{self.session.path.stem}-return{RETURN_SUFFIX}")

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Save the return file"), self.out_edit.text(),
                                               self.tr("Dossier return files (*.dossier-return)"))
        if path:
            if not path.endswith(RETURN_SUFFIX):
                path += RETURN_SUFFIX
            self.out_edit.setText(path)

    def write(self) -> None:
        sealer = None
        if self.sign.isChecked():
            from ..identity_dialog import obtain_sealer

            sealer = obtain_sealer(self)
            if sealer is None:
                return
        out = Path(self.out_edit.text().strip() or self._default_out())
        try:
            self.result = make_return(self.session.path, out, sealer=sealer, message=self.note.toPlainText().strip())
        except Exception as e:  # noqa: BLE001 - shown; nothing was written under the name
            show_error(self, self.tr("Return to lead"), e)
            return
        finally:
            sealer = None
        kb = max(1, round(self.result.size / 1024))
        message(self, "info", self.tr("Return to lead"),
                self.tr("The return file is ready ({kb} KB):\n{file}").format(kb=kb, file=str(self.result.path)),
                self.tr("Send it to {lead} by e-mail, chat or USB stick. You can keep working; a later return "
                        "sends everything again.").format(lead=self.mark.source_applicant or self.tr("the lead")))
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Return to lead"))
        ev = self.changes["evidence"]
        n_fields = len(self.changes["fields"]) + len(self.changes["tables"])
        self.summary.setText(self.tr("Since you received this part you changed {fields} fields, added {added} evidence "
                                     "files and removed {removed}. Only these changes go back to {lead}.").format(
            fields=n_fields, added=len(ev["added"]), removed=len(ev["removed"]),
            lead=self.mark.source_applicant or self.tr("the lead")))
        self.outside_label.setText(self.tr("{n} of these changes are outside your assignment; the lead will not merge "
                                           "them: {list}").format(n=len(self.outside), list=", ".join(self.outside[:8])))
        self.note_label.setText(self.tr("A note to the lead (optional):"))
        self.sign.setText(self.tr("Sign with this computer's institution identity"))
        self.out_label.setText(self.tr("Save as:"))
        self.browse.setText(self.tr("Browse…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write return file"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
