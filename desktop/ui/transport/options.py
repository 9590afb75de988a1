"""The export dialog's "Transport" box (issue #12): volumes, recovery data, encryption, deltas.

`TransportOptions.options()` returns the keyword arguments of desktop.transport.export_package
(or {} when nothing is chosen: a plain export); it raises DossierError when an entry is not
valid, so the dialog can say what to fix before anything starts. `check_fat32(folder)` offers
volumes when an unsplit package would not fit on a FAT32 stick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...errors import DossierError

SPLIT_PRESETS = ("email", "cd", "dvd", "fat32", "custom")


class TransportOptions(QGroupBox):
    """Split / recovery / encrypt / delta, each a checkbox with its details beside it."""

    def __init__(self, project_path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project_path = Path(project_path) if project_path else None
        self.basis_file: Path | None = None
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        # volumes
        self.split = QCheckBox(self)
        self.split_size = QComboBox(self)
        for key in SPLIT_PRESETS:
            self.split_size.addItem("", key)
        self.custom_size = QLineEdit(self)
        self.custom_size.setMaximumWidth(120)
        row = QHBoxLayout()
        row.addWidget(self.split_size, 1)
        row.addWidget(self.custom_size)
        grid.addWidget(self.split, 0, 0)
        grid.addLayout(row, 0, 1)
        # recovery
        self.recovery = QCheckBox(self)
        self.recovery_pct = QSpinBox(self)
        self.recovery_pct.setRange(1, 100)
        self.recovery_pct.setValue(10)
        self.recovery_pct.setSuffix(" %")
        self.recovery_hint = QLabel(self)
        self.recovery_hint.setObjectName("hint")
        self.recovery_hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.recovery_pct)
        row.addWidget(self.recovery_hint, 1)
        grid.addWidget(self.recovery, 1, 0)
        grid.addLayout(row, 1, 1)
        # encryption
        self.encrypt = QCheckBox(self)
        self.recipients = QLineEdit(self)
        self.card_btn = QPushButton(self)
        self.card_btn.clicked.connect(self.add_key_card)
        row = QHBoxLayout()
        row.addWidget(self.recipients, 1)
        row.addWidget(self.card_btn)
        grid.addWidget(self.encrypt, 2, 0)
        grid.addLayout(row, 2, 1)
        self.encrypt_hint = QLabel(self)
        self.encrypt_hint.setObjectName("hint")
        self.encrypt_hint.setWordWrap(True)
        grid.addWidget(self.encrypt_hint, 3, 1)
        # delta
        self.delta = QCheckBox(self)
        self.basis = QComboBox(self)
        self.basis_btn = QPushButton(self)
        self.basis_btn.clicked.connect(self.choose_basis_file)
        row = QHBoxLayout()
        row.addWidget(self.basis, 1)
        row.addWidget(self.basis_btn)
        grid.addWidget(self.delta, 4, 0)
        grid.addLayout(row, 4, 1)
        for cb in (self.split, self.recovery, self.encrypt, self.delta):
            cb.toggled.connect(lambda _on: self._update())
        self.split_size.currentIndexChanged.connect(lambda _i: self._update())
        self.recipients.textEdited.connect(lambda _t: self.encrypt.setChecked(bool(self.recipients.text().strip())))
        self.load_history()
        self.retranslate()

    # ------------------------------------------------------------------ data

    def load_history(self) -> None:
        """The project's earlier exports, newest first (the choices for "only what changed since")."""
        self.basis.clear()
        if self.project_path is None:
            return
        try:
            from ...export.history import list_exports
            from ...project import Project

            with Project.open(self.project_path, readonly=True) as p:
                recs = list_exports(p)
        except Exception:  # noqa: BLE001 - no history is not an error here
            recs = []
        for r in recs:
            self.basis.addItem(r.label, r.package_id)
        if self.basis_file is not None:
            self.basis.insertItem(0, self.basis_file.name, str(self.basis_file))
            self.basis.setCurrentIndex(0)

    def add_key_card(self) -> None:
        from ...identity.keycard import read_key_card
        from ..dialogs import show_error

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Reviewer's key card"), "", self.tr("Key cards (*.pdf);;All files (*)"))
        if not path:
            return
        try:
            r = read_key_card(path)
        except DossierError as e:
            show_error(self, self.tr("Reviewer's key card"), e)
            return
        have = self.recipients.text().split()
        if r not in have:
            self.recipients.setText(" ".join(have + [r]))
        self.encrypt.setChecked(True)

    def choose_basis_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("The earlier package"), "",
                                              self.tr("Dossier packages (*.zip *.age);;All files (*)"))
        if path:
            self.basis_file = Path(path)
            self.load_history()
            self.delta.setChecked(True)

    def split_bytes(self) -> int | None:
        from ...transport.volumes import PRESETS, parse_size

        if not self.split.isChecked():
            return None
        key = self.split_size.currentData()
        if key == "custom":
            return parse_size(self.custom_size.text())
        return PRESETS[key]

    def options(self) -> dict:
        """export_package's keyword arguments for the boxes ticked; DossierError for a bad entry."""
        from ...identity.agekey import parse_recipient

        opts: dict = {}
        size = self.split_bytes()
        if size is not None:
            opts["split"] = size
        if self.recovery.isChecked():
            opts["recovery"] = self.recovery_pct.value()
        if self.encrypt.isChecked():
            keys = [parse_recipient(k) for k in self.recipients.text().replace(",", " ").split()]
            if not keys:
                raise DossierError("Give the reviewer's encryption key (age1…) or choose their key card",
                                   "请填写评审方的加密公钥（age1…）或选择其公钥卡", key="transport.no_recipient")
            opts["encrypt_to"] = keys
        if self.delta.isChecked():
            data = self.basis.currentData()
            if not data:
                raise DossierError("Choose the earlier export (or its package file) the resubmission is based on",
                                   "请选择本次重新提交所依据的上一次导出（或其数据包文件）", key="transport.no_basis")
            opts["since"] = data
        return opts

    def set_fat32(self) -> None:
        self.split.setChecked(True)
        self.split_size.setCurrentIndex(SPLIT_PRESETS.index("fat32"))

    def check_fat32(self, folder: Path) -> bool:
        """False when the user declined: an unsplit package ≥ 4 GiB cannot go to a FAT32 drive."""
        from ...transport.export import FAT32_LIMIT, estimate_package_bytes, is_fat

        if self.split.isChecked() or self.project_path is None or not is_fat(folder):
            return True
        try:
            est = estimate_package_bytes(self.project_path)
        except DossierError:
            return True
        if est < FAT32_LIMIT - (64 << 20):
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("FAT32 drive"), self.tr(
            "The package will be about {size:.1f} GiB, but the output folder is on a FAT32 drive, which cannot hold "
            "files of 4 GiB or more.").format(size=est / 2**30), QMessageBox.StandardButton.Cancel, self)
        split = box.addButton(self.tr("Split into 4 GiB volumes"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(split)
        box.exec()
        if box.clickedButton() is split:
            self.set_fat32()
            return True
        return False

    # ------------------------------------------------------------------ view

    def _update(self) -> None:
        custom = self.split.isChecked() and self.split_size.currentData() == "custom"
        self.split_size.setEnabled(self.split.isChecked())
        self.custom_size.setVisible(custom)
        self.recovery_pct.setEnabled(self.recovery.isChecked())
        self.basis.setEnabled(self.delta.isChecked())
        self.recovery_hint.setVisible(self.recovery.isChecked())
        self.encrypt_hint.setVisible(self.encrypt.isChecked())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Transport"))
        self.split.setText(self.tr("Split into &volumes:"))
        labels = {"email": self.tr("e-mail (20 MB)"), "cd": self.tr("CD (700 MB)"), "dvd": self.tr("DVD (4.7 GB)"),
                  "fat32": self.tr("FAT32 USB stick (4 GiB)"), "custom": self.tr("custom size…")}
        for i, key in enumerate(SPLIT_PRESETS):
            self.split_size.setItemText(i, labels[key])
        self.custom_size.setPlaceholderText(self.tr("e.g. 50M"))
        self.custom_size.setAccessibleName(self.tr("Custom volume size"))
        self.recovery.setText(self.tr("Add &recovery data:"))
        self.recovery_hint.setText(self.tr("PAR2 files beside each file; a damaged disc or download can be repaired "
                                           "(dossier repair)."))
        self.encrypt.setText(self.tr("&Encrypt for the reviewer:"))
        self.recipients.setPlaceholderText(self.tr("the reviewer's key, age1… (several: separate with spaces)"))
        self.recipients.setAccessibleName(self.tr("Reviewer's encryption keys"))
        self.card_btn.setText(self.tr("&Key card…"))
        self.encrypt_hint.setText(self.tr("Also encrypted to your own key, so you can open what you sent. The PDF is "
                                          "not written in clear text beside it."))
        self.delta.setText(self.tr("Only what &changed since:"))
        self.basis.setAccessibleName(self.tr("Earlier export"))
        self.basis_btn.setText(self.tr("&Package file…"))
        self.basis.setPlaceholderText(self.tr("(no earlier export)"))
        self._update()

    def summary_lines(self, res) -> list[str]:
        """What the dialog shows after a transport export: the files written and how."""
        lines = [f"  {p}" for p in res.outputs]
        if res.volumes > 1:
            lines.append(self.tr("{n} volumes").format(n=res.volumes))
        if res.encrypted_to:
            lines.append(self.tr("Encrypted to: {keys}").format(keys=", ".join(res.encrypted_to)))
        if res.delta_basis:
            lines.append(self.tr("Only what changed since package {id}").format(id=res.delta_basis.get("package_id") or "?"))
        return lines

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
