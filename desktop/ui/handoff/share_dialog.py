"""File → Share part with a partner…: tick sections, indicators (or single fields) in a tree, name
the partner, optionally include the evidence and read-only context, choose where the hand-off file
goes. Calls desktop.handoff.share_part (the same service as `dossier handoff create`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from ...handoff import Scope, overlaps, share_part
from ...project import safe_file_name
from ..dialogs import message, show_error
from ..i18n import lang

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ASSIGN, CONTEXT = 0, 1


class ShareDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.program = session.program
        self.result = None  # the ShareResult once written
        self.setObjectName("shareDialog")
        self.setMinimumSize(720, 560)
        lay = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        form = QFormLayout()
        self.partner = QLineEdit(self)
        self.partner.setMaxLength(200)
        self.preset = QComboBox(self)
        self.partner_label = QLabel(self)
        self.preset_label = QLabel(self)
        form.addRow(self.partner_label, self.partner)
        form.addRow(self.preset_label, self.preset)
        lay.addLayout(form)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setUniformRowHeights(True)
        self.items: dict[str, QTreeWidgetItem] = {}  # indicator id or field path -> item
        self._syncing = False
        for sec in self.program.sections:
            si = QTreeWidgetItem(self.tree)
            si.setData(0, KIND_ROLE, "section")
            si.setData(0, ID_ROLE, sec.id)
            si.setFlags(si.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            si.setCheckState(ASSIGN, Qt.CheckState.Unchecked)
            for ind in sec.indicators:
                it = QTreeWidgetItem(si)
                it.setData(0, KIND_ROLE, "indicator")
                it.setData(0, ID_ROLE, ind.id)
                # not auto-tristate: Qt would derive the "read-only" column from the fields too;
                # the assign column follows the fields by hand (_item_changed)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsUserTristate)
                it.setCheckState(ASSIGN, Qt.CheckState.Unchecked)
                it.setCheckState(CONTEXT, Qt.CheckState.Unchecked)
                self.items[ind.id] = it
                for f in ind.fields:
                    fi = QTreeWidgetItem(it)
                    fi.setData(0, KIND_ROLE, "field")
                    fi.setData(0, ID_ROLE, f.path)
                    fi.setFlags(fi.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    fi.setCheckState(ASSIGN, Qt.CheckState.Unchecked)
                    self.items[f.path] = fi
            si.setExpanded(True)
        self.tree.itemChanged.connect(self._item_changed)
        lay.addWidget(self.tree, 1)
        self.include_evidence = QCheckBox(self)
        lay.addWidget(self.include_evidence)
        self.overlap = QLabel(self)
        self.overlap.setObjectName("error")
        self.overlap.setWordWrap(True)
        self.overlap.hide()
        lay.addWidget(self.overlap)
        out_row = QHBoxLayout()
        self.out_label = QLabel(self)
        self.out_edit = QLineEdit(self)
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        out_row.addWidget(self.out_label)
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(self.browse)
        lay.addLayout(out_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.share)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.partner.textChanged.connect(self._partner_changed)
        self._out_touched = False
        self.out_edit.textEdited.connect(lambda _t: setattr(self, "_out_touched", True))
        self.retranslate()
        self._update()

    # ------------------------------------------------------------ scope from the ticks

    def scope(self) -> Scope:
        inds, fields, ctx = [], [], []
        for ind in self.program.indicators():
            it = self.items[ind.id]
            st = it.checkState(ASSIGN)
            if st == Qt.CheckState.Checked:
                inds.append(ind.id)
            elif st == Qt.CheckState.PartiallyChecked:
                fields += [f.path for f in ind.fields if self.items[f.path].checkState(ASSIGN) == Qt.CheckState.Checked]
            if it.checkState(CONTEXT) == Qt.CheckState.Checked and st != Qt.CheckState.Checked:
                ctx.append(ind.id)
        part = self.preset.currentData() or ""
        return Scope(tuple(inds), tuple(fields), tuple(ctx), part if self._matches_part(inds, fields, part) else "")

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == ASSIGN and not self._syncing:
            self._syncing = True
            try:
                kind = item.data(0, KIND_ROLE)
                if kind == "indicator" and item.childCount():
                    st = item.checkState(ASSIGN)
                    if st == Qt.CheckState.PartiallyChecked:  # a click cycles through partial: make it all
                        st = Qt.CheckState.Checked
                        item.setCheckState(ASSIGN, st)
                    for n in range(item.childCount()):
                        item.child(n).setCheckState(ASSIGN, st)
                elif kind == "field":
                    self._derive(item.parent())
                elif kind == "section":
                    for n in range(item.childCount()):
                        self._derive(item.child(n))
            finally:
                self._syncing = False
        self._update()

    @staticmethod
    def _derive(ind: QTreeWidgetItem) -> None:
        if not ind.childCount():
            return
        states = {ind.child(n).checkState(ASSIGN) for n in range(ind.childCount())}
        st = states.pop() if len(states) == 1 else Qt.CheckState.PartiallyChecked
        if ind.checkState(ASSIGN) != st:
            ind.setCheckState(ASSIGN, st)

    def _matches_part(self, inds, fields, part_id) -> bool:
        p = self.program.part(part_id) if part_id else None
        return p is not None and set(p.indicators) == set(inds) and set(p.fields) == set(fields)

    def set_assigned(self, ids) -> None:
        """Tick exactly these indicators / field paths (a part, or a test)."""
        want = set(ids)
        self.tree.blockSignals(True)
        for key, it in self.items.items():
            if it.data(0, KIND_ROLE) == "field":
                ind = key.split("/", 1)[0]
                on = key in want or ind in want
                it.setCheckState(ASSIGN, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        for key, it in self.items.items():
            if it.data(0, KIND_ROLE) == "indicator":
                if it.childCount():
                    self._derive(it)
                else:  # no fields to derive from
                    it.setCheckState(ASSIGN, Qt.CheckState.Checked if key in want else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self.tree.viewport().update()
        self._update()

    def set_context(self, ids) -> None:
        for iid in self.program.indicators():
            self.items[iid.id].setCheckState(CONTEXT, Qt.CheckState.Checked if iid.id in ids else Qt.CheckState.Unchecked)

    def _preset_chosen(self, _i: int) -> None:
        pid = self.preset.currentData()
        part = self.program.part(pid) if pid else None
        if part is not None:
            self.set_assigned(list(part.indicators) + list(part.fields))
            if not self.partner.text().strip():
                self.partner.setPlaceholderText(part.label.get(lang()))

    def _partner_changed(self, _t: str) -> None:
        if not self._out_touched:
            self.out_edit.setText(str(self._default_out()))
        self._update()

    def _default_out(self) -> Path:
        s = self.session
        name = safe_file_name(f"{s.applicant or s.program.id}-{self.partner.text().strip() or 'partner'}.dossier")
        return s.path.with_name(name)

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Save the hand-off file"), self.out_edit.text(),
                                               self.tr("Dossier projects (*.dossier)"))
        if path:
            if not path.endswith(".dossier"):
                path += ".dossier"
            self.out_edit.setText(path)
            self._out_touched = True

    def _update(self) -> None:
        sc = self.scope()
        has = bool(sc.indicators or sc.fields)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(has and bool(self.partner.text().strip()))
        text = ""
        if has:
            others, _same = overlaps(self.session.project, sc, self.partner.text())
            if others:
                text = self.tr("Some of these fields are already assigned to another partner whose part has not come "
                               "back yet: {list}. Both may change them; you will decide when merging.").format(
                    list="; ".join(f"{o.partner} ({len(o.paths)})" for o in others))
        self.overlap.setText(text)
        self.overlap.setVisible(bool(text))

    # ------------------------------------------------------------ write

    def share(self) -> None:
        sc = self.scope()
        out = Path(self.out_edit.text().strip() or self._default_out())
        s = self.session
        s.flush()
        s.wait_idle()
        from ..worker import run_blocking

        def work(task, _proj):
            return share_part(s.path, sc, self.partner.text(), out, include_evidence=self.include_evidence.isChecked(),
                              task=task)

        outcome, res = run_blocking(work, parent=self, label=self.tr("Writing the hand-off file…"))
        if outcome == "failed":
            show_error(self, self.tr("Share part with a partner"), res)
            return
        if outcome != "ok":
            return
        self.result = res
        message(self, "info", self.tr("Share part with a partner"),
                self.tr("The hand-off file for {partner} is ready:\n{file}").format(partner=self.partner.text().strip(),
                                                                                   file=str(res.path)),
                self.tr("Send it to the partner (USB stick, e-mail, chat). They open it in Dossier, fill in their "
                        "part and send back a return file; then use File › Merge returned part…. You can keep "
                        "working on the whole project meanwhile."))
        self.accept()

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Share part with a partner"))
        self.intro.setText(self.tr("Tick what the partner institution fills in. They receive a Dossier file with "
                                   "only this part editable; what they send back is merged into this project."))
        self.partner_label.setText(self.tr("Partner institution:"))
        self.preset_label.setText(self.tr("Part:"))
        self.tree.setHeaderLabels([self.tr("Assigned to the partner"), self.tr("Show read-only")])
        self.tree.setColumnWidth(0, 460)
        self.include_evidence.setText(self.tr("Include the evidence files already attached to the assigned indicators"))
        self.out_label.setText(self.tr("Save as:"))
        self.browse.setText(self.tr("Browse…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write hand-off file"))
        cur = self.preset.currentData()
        self.preset.blockSignals(True)
        self.preset.clear()
        self.preset.addItem(self.tr("(choose indicators below)"), "")
        for p in self.program.parts:
            self.preset.addItem(p.label.get(lang()), p.id)
        idx = max(0, self.preset.findData(cur)) if cur else 0
        self.preset.setCurrentIndex(idx)
        self.preset.blockSignals(False)
        for key, it in self.items.items():
            kind = it.data(0, KIND_ROLE)
            if kind == "indicator":
                ind = self.program.indicator(key)
                it.setText(0, f"{ind.id} {ind.title.get(lang())}")
            else:
                f = self.program.field(key)
                it.setText(0, f.label.get(lang()))
        for n in range(self.tree.topLevelItemCount()):
            si = self.tree.topLevelItem(n)
            sec = next(s for s in self.program.sections if s.id == si.data(0, ID_ROLE))
            si.setText(0, f"{sec.id} {sec.title.get(lang())}")
        if not self._out_touched:
            self.out_edit.setText(str(self._default_out()))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

