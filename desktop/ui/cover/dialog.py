"""The cover-details dialog: one line per detail, saved in one transaction through desktop.cover.

The values are checked by the same core function the CLI uses (`desktop.cover.normalise`); a
bad value is named in the dialog and nothing is written. Read-only projects show the values
without an OK button.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from ... import cover
from ...errors import DossierError
from ..i18n import lang


class CoverDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.fields = cover.fields_for(self.project.program)
        meta = cover.get_cover(self.project.meta())
        self.setWindowTitle(self.tr("Cover details"))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        self.intro = QLabel(self.tr("These details are printed on the cover of the submission (申报书) and in its "
                                    "Word copy. They are saved in the project."))
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for f in self.fields:
            if f.kind == "date":
                continue
            e = QLineEdit(meta.get(f.key, ""))
            e.setMaxLength(cover.MAX_TEXT)
            e.setObjectName(f"cover_{f.key}")
            if f.kind == "phone":
                e.setPlaceholderText("0771-1234567")
            self.edits[f.key] = e
            form.addRow(f.label.get(lang()) + (f"（{f.label.zh}）" if lang() == "en" else ""), e)
        self.date = QDateEdit()
        self.date.setObjectName("cover_fill_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.use_seal_date = QCheckBox(self.tr("Use the date of sealing"))
        self.use_seal_date.setObjectName("cover_use_seal_date")
        iso = meta.get("fill_date", "")
        if iso:
            self.date.setDate(QDate.fromString(iso, "yyyy-MM-dd"))
        else:
            self.date.setDate(QDate.currentDate())
            self.use_seal_date.setChecked(True)
        self.date.setEnabled(not self.use_seal_date.isChecked())
        self.use_seal_date.toggled.connect(lambda on: self.date.setEnabled(not on))
        date_row = QWidget()
        dl = QVBoxLayout(date_row)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.date)
        dl.addWidget(self.use_seal_date)
        date_label = cover.field("fill_date").label
        form.addRow(date_label.get(lang()) + (f"（{date_label.zh}）" if lang() == "en" else ""), date_row)
        lay.addLayout(form)
        lay.addStretch(1)
        self.error = QLabel()
        self.error.setObjectName("cover_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B42318")
        self.error.setVisible(False)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel if session.readonly else
                                   QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if session.readonly:
            for e in self.edits.values():
                e.setReadOnly(True)
            self.date.setEnabled(False)
            self.use_seal_date.setEnabled(False)

    def values(self) -> dict[str, str]:
        out = {k: e.text() for k, e in self.edits.items()}
        out["fill_date"] = "" if self.use_seal_date.isChecked() else self.date.date().toString("yyyy-MM-dd")
        return out

    def save(self) -> None:
        self.session.flush()
        try:
            cover.set_cover(self.project, self.values())
        except DossierError as e:
            self.error.setText(e.text(lang()))
            self.error.setVisible(True)
            bad = {"cover.phone": "contact_phone", "cover.applicant_empty": "applicant"}.get(e.key)
            if bad in self.edits:
                self.edits[bad].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.session.reportChanged.emit()
        self.accept()
