"""The coordinator's panel dialogs: the rubric (weights, levels, overall range — until the first
score freezes it), assigning packages to an expert, a decision with its reason, a new round."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..dialogs import message, show_error
from ..i18n import lang
from ..settings import Settings


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


class RubricDialog(QDialog):
    """The round's rubric: weights per criterion, the levels (for every criterion), the overall
    range. Saving makes a new rubric version; a frozen rubric is shown read-only."""

    def __init__(self, rv, parent=None):
        super().__init__(parent)
        from ...panel.rounds import rubric_of

        self.rv = rv
        self.changed = False
        self.info = rubric_of(rv)
        self.setWindowTitle(self.tr("Panel rubric"))
        self.resize(980, 640)
        lay = QVBoxLayout(self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        lay.addWidget(self.state)
        self.crit = QTableWidget(0, 5, self)
        self.crit.setHorizontalHeaderLabels([self.tr("Criterion"), self.tr("Indicators"), self.tr("Weight"),
                                             self.tr("Points"), self.tr("Id")])
        self.crit.verticalHeader().setVisible(False)
        self.crit.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.crit.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(QLabel(self.tr("Criteria (weights are relative: the points are each weight's share of the total):"), self))
        lay.addWidget(self.crit, 2)
        self.levels_label = QLabel(self)
        self.levels_label.setWordWrap(True)
        lay.addWidget(self.levels_label)
        self.levels = QTableWidget(0, 5, self)
        self.levels.setHorizontalHeaderLabels([self.tr("Value"), self.tr("Label (中文)"), self.tr("Label (English)"),
                                               self.tr("Descriptor (中文)"), self.tr("Descriptor (English)")])
        self.levels.verticalHeader().setVisible(False)
        for i in (3, 4):
            self.levels.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.levels, 2)
        lrow = QHBoxLayout()
        self.add_level = QPushButton(self.tr("Add a level"), self)
        self.add_level.clicked.connect(lambda: self._level_row(None))
        self.del_level = QPushButton(self.tr("Remove the level"), self)
        self.del_level.clicked.connect(lambda: self.levels.removeRow(self.levels.currentRow()) if self.levels.currentRow() >= 0 else None)
        lrow.addWidget(self.add_level)
        lrow.addWidget(self.del_level)
        lrow.addStretch(1)
        lay.addLayout(lrow)
        form = QFormLayout()
        orow = QHBoxLayout()
        self.omin = QDoubleSpinBox(self)
        self.omax = QDoubleSpinBox(self)
        for s in (self.omin, self.omax):
            s.setRange(-1000, 100000)
            s.setDecimals(1)
        orow.addWidget(self.omin)
        orow.addWidget(QLabel("–", self))
        orow.addWidget(self.omax)
        orow.addStretch(1)
        form.addRow(self.tr("Overall score range:"), orow)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Why the rubric is changed (kept with the version)"))
        form.addRow(self.tr("Note:"), self.note)
        lay.addLayout(form)
        brow = QHBoxLayout()
        self.export_btn = QPushButton(self.tr("E&xport JSON…"), self)
        self.export_btn.clicked.connect(self._export)
        self.import_btn = QPushButton(self.tr("&Import JSON…"), self)
        self.import_btn.clicked.connect(self._import)
        self.round_btn = QPushButton(self.tr("Start a &new round…"), self)
        self.round_btn.clicked.connect(self._new_round)
        brow.addWidget(self.export_btn)
        brow.addWidget(self.import_btn)
        brow.addWidget(self.round_btn)
        brow.addStretch(1)
        self.bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self)
        self.bb.accepted.connect(self.save)
        self.bb.rejected.connect(self.reject)
        brow.addWidget(self.bb)
        lay.addLayout(brow)
        self._fill()

    def _fill(self) -> None:
        info = self.info
        rub = info.rubric
        L = lang()
        if info.frozen:
            st = self.tr("Round {round}, rubric version {version}: frozen since the first scores were merged ({when}). "
                         "To change it, start a new round.").format(round=info.round, version=info.version, when=info.frozen_at)
        elif not info.stored:
            st = self.tr("Round 1 has not started: this is the program's rubric. Change weights and levels before the "
                         "first sheet goes out; the first merged score freezes it.")
        else:
            st = self.tr("Round {round}, rubric version {version}: can be changed until the first scores are merged. "
                         "Sheets issued with an earlier version must then be issued again.").format(round=info.round, version=info.version)
        self.state.setText(st)
        editable = not info.frozen and not self.rv.readonly
        self.crit.setRowCount(0)
        self.spins = {}
        wsum = sum(c.weight for c in rub.criteria) or 1
        for c in rub.criteria:
            r = self.crit.rowCount()
            self.crit.insertRow(r)
            self.crit.setItem(r, 0, QTableWidgetItem(c.label.get(L)))
            self.crit.setItem(r, 1, QTableWidgetItem(", ".join(c.indicators)))
            sp = QDoubleSpinBox(self.crit)
            sp.setRange(0.01, 1000)
            sp.setDecimals(2)
            sp.setValue(c.weight)
            sp.setEnabled(editable)
            sp.valueChanged.connect(self._points)
            self.crit.setCellWidget(r, 2, sp)
            self.crit.setItem(r, 3, QTableWidgetItem(_fmt(round(c.weight / wsum * rub.total, 1))))
            self.crit.setItem(r, 4, QTableWidgetItem(c.id))
            self.spins[c.id] = sp
        same = all([lv.to_dict() for lv in c.levels] == [lv.to_dict() for lv in rub.criteria[0].levels] for c in rub.criteria)
        self.levels.setRowCount(0)
        for lv in rub.criteria[0].levels:
            self._level_row(lv)
        self.levels_label.setText(self.tr("Levels, for every criterion:") if same else
                                  self.tr("The criteria have levels of their own; the first criterion's are shown. Saving "
                                          "levels here gives every criterion these levels (or edit them with Export/Import JSON)."))
        self.levels.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if editable else
                                    QAbstractItemView.EditTrigger.NoEditTriggers)
        o = rub.overall
        self.omin.setValue(o.min if o else 0)
        self.omax.setValue(o.max if o else 100)
        for w in (self.omin, self.omax, self.note, self.add_level, self.del_level, self.import_btn):
            w.setEnabled(editable)
        self.bb.button(QDialogButtonBox.StandardButton.Save).setEnabled(editable)
        self.round_btn.setVisible(info.frozen and not self.rv.readonly)
        self._levels_before = self._levels()

    def _level_row(self, lv) -> None:
        r = self.levels.rowCount()
        self.levels.insertRow(r)
        vals = ["", "", "", "", ""] if lv is None else [_fmt(lv.value), lv.label.zh, lv.label.en, lv.descriptor.zh, lv.descriptor.en]
        for i, v in enumerate(vals):
            self.levels.setItem(r, i, QTableWidgetItem(v))

    def _points(self) -> None:
        total = self.info.rubric.total
        wsum = sum(s.value() for s in self.spins.values()) or 1
        for r, (cid, s) in enumerate(self.spins.items()):
            self.crit.item(r, 3).setText(_fmt(round(s.value() / wsum * total, 1)))

    def _levels(self) -> list[dict]:
        out = []
        for r in range(self.levels.rowCount()):
            cells = [(self.levels.item(r, i).text().strip() if self.levels.item(r, i) else "") for i in range(5)]
            try:
                value = float(cells[0])
            except ValueError:
                value = cells[0]  # the rubric check says what is wrong
            out.append({"value": value, "label": {"zh": cells[1], "en": cells[2] or cells[1]},
                        "descriptor": {"zh": cells[3], "en": cells[4] or cells[3]}})
        return out

    def rubric(self):
        from ...panel.rubric import with_changes

        levels = self._levels()
        return with_changes(self.info.rubric, weights={cid: s.value() for cid, s in self.spins.items()},
                            levels={"*": levels} if levels != self._levels_before else None,
                            overall={"min": self.omin.value(), "max": self.omax.value()} if self.info.rubric.overall else None)

    def save(self) -> None:
        from ...panel.rounds import set_rubric

        try:
            rub = self.rubric()
            self.info, outdated = set_rubric(self.rv, rub, self.note.text())
        except Exception as e:  # noqa: BLE001 - a frozen rubric, a bad level: the core says why
            show_error(self, self.tr("Panel rubric"), e)
            return
        self.changed = True
        if outdated:
            message(self, "warning", self.tr("Panel rubric"),
                    self.tr("{n} sheet(s) issued with the earlier rubric are now outdated: issue new sheets to those experts.")
                    .format(n=len(outdated)))
        self.accept()

    def _export(self) -> None:
        from ...fsutil import atomic_write_bytes

        p, _ = QFileDialog.getSaveFileName(self, self.tr("Export the rubric"), str(Path(Settings().last_folder()) / "rubric.json"),
                                           self.tr("Rubric (*.json)"))
        if not p:
            return
        try:
            atomic_write_bytes(p, (json.dumps(self.info.rubric.to_dict(), ensure_ascii=False, indent=2) + "\n").encode())
        except OSError as e:
            message(self, "error", self.tr("Export the rubric"), str(e))

    def _import(self) -> None:
        from ...panel.rounds import set_rubric
        from ...panel.rubric import Rubric

        p, _ = QFileDialog.getOpenFileName(self, self.tr("Import a rubric"), Settings().last_folder(), self.tr("Rubric (*.json)"))
        if not p:
            return
        try:
            with open(p, "rb") as fh:
                doc = json.loads(fh.read(8 << 20).decode("utf-8-sig"))
            self.info, _outdated = set_rubric(self.rv, Rubric.from_dict(doc), self.note.text() or Path(p).name)
        except (OSError, ValueError) as e:
            message(self, "error", self.tr("Import a rubric"), self.tr("{name} is not a rubric document ({why})").format(
                name=Path(p).name, why=str(e)[:200]))
            return
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Import a rubric"), e)
            return
        self.changed = True
        self._fill()

    def _new_round(self) -> None:
        dlg = NewRoundDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        from ...panel.rounds import new_round

        try:
            self.info = new_round(self.rv, dlg.reason())
        except Exception as e:  # noqa: BLE001
            show_error(self, self.tr("Start a new round"), e)
            return
        self.changed = True
        self._fill()


class NewRoundDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start a new round"))
        lay = QVBoxLayout(self)
        t = QLabel(self.tr("A new round starts from the current rubric, which can then be changed until its first scores "
                           "are merged. Scores of earlier rounds are kept but no longer count; sheets of earlier rounds "
                           "are refused. Why a new round?"), self)
        t.setWordWrap(True)
        lay.addWidget(t)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("e.g. “The experts read criterion 3 differently: weights revised”"))
        lay.addWidget(self.text)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the round"))
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def reason(self) -> str:
        return self.text.toPlainText().strip()


class AssignDialog(QDialog):
    """Who scores which packages, and where the expert sheet goes."""

    def __init__(self, rv, parent=None):
        super().__init__(parent)
        from ...panel.assign import eligible

        self.setWindowTitle(self.tr("Assign packages to an expert"))
        self.resize(640, 560)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.expert = QLineEdit(self)
        self.expert.setPlaceholderText(self.tr("The expert's name, e.g. 张明"))
        form.addRow(self.tr("&Expert:"), self.expert)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("Packages (readable, intact and current ones are listed):"), self))
        self.list = QListWidget(self)
        ok = set(eligible(rv))
        for rec in rv.packages():
            if rec.id not in ok:
                continue
            it = QListWidgetItem(f"#{rec.id}  {rec.applicant}  ({rec.sealed_at[:10]})")
            it.setData(Qt.ItemDataRole.UserRole, rec.id)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(it)
        lay.addWidget(self.list, 1)
        srow = QHBoxLayout()
        allb = QPushButton(self.tr("Select &all"), self)
        allb.clicked.connect(lambda: self._check(True))
        noneb = QPushButton(self.tr("Select &none"), self)
        noneb.clicked.connect(lambda: self._check(False))
        srow.addWidget(allb)
        srow.addWidget(noneb)
        srow.addStretch(1)
        lay.addLayout(srow)
        orow = QHBoxLayout()
        self.out = QLineEdit(self)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        orow.addWidget(self.out, 1)
        orow.addWidget(browse)
        form2 = QFormLayout()
        form2.addRow(self.tr("Save the sheet as:"), orow)
        lay.addLayout(form2)
        self.files = QCheckBox(self.tr("Include the packages' &files (evidence previews; a larger sheet)"), self)
        self.files.setChecked(True)
        lay.addWidget(self.files)
        hint = QLabel(self.tr("The sheet holds these packages and the rubric — never another expert's scores. Give it to the "
                              "expert on a USB stick or by e-mail; the expert opens it in Dossier."), self)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        lay.addWidget(hint)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        bb.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write the sheet"))
        bb.accepted.connect(self._accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)
        self.expert.textChanged.connect(self._default_out)
        self._user_out = False
        self.out.textEdited.connect(lambda _t: setattr(self, "_user_out", True))

    def _check(self, on: bool) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _default_out(self, name: str) -> None:
        if not self._user_out:
            safe = "".join(c for c in name if c not in '<>:"/\\|?*').strip() or "expert"
            self.out.setText(str(Path(Settings().last_folder()) / f"{safe}.dsheet"))

    def _browse(self) -> None:
        p, _ = QFileDialog.getSaveFileName(self, self.tr("Save the expert sheet"), self.out.text(), self.tr("Expert sheets (*.dsheet)"))
        if p:
            self.out.setText(p)
            self._user_out = True

    def _accept(self) -> None:
        if not self.expert.text().strip():
            message(self, "info", self.windowTitle(), self.tr("Give the expert's name."))
            return
        if not self.packages():
            message(self, "info", self.windowTitle(), self.tr("Choose at least one package."))
            return
        if not self.out.text().strip():
            message(self, "info", self.windowTitle(), self.tr("Choose where to save the sheet."))
            return
        self.accept()

    def packages(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def values(self) -> tuple[str, list[int], Path, bool]:
        return self.expert.text().strip(), self.packages(), Path(self.out.text().strip()), self.files.isChecked()


class DecisionDialog(QDialog):
    def __init__(self, applicant: str, suggestion: str, recommend: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Decision: {applicant}").format(applicant=applicant))
        lay = QVBoxLayout(self)
        self.yes = QRadioButton(self.tr("&Recommended"), self)
        self.no = QRadioButton(self.tr("&Not recommended"), self)
        g = QButtonGroup(self)
        g.addButton(self.yes)
        g.addButton(self.no)
        (self.yes if recommend else self.no).setChecked(True)
        lay.addWidget(self.yes)
        lay.addWidget(self.no)
        lay.addWidget(QLabel(self.tr("Reason (required; it is kept in the package's history and goes into 备注):"), self))
        self.text = QPlainTextEdit(self)
        self.text.setPlainText(suggestion)
        lay.addWidget(self.text)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        lay.addWidget(bb)

    def values(self) -> tuple[str, str]:
        return ("recommended" if self.yes.isChecked() else "not_recommended"), self.text.toPlainText().strip()
