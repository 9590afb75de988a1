"""The rubric beside the applicant's indicators: the boxes an expert scores one package with.

Built once per sheet (every package has the same rubric) and refilled when the expert switches
package, so switching is cheap. Every change is saved at once by the window (one transaction in
the sheet); the boxes only report what the expert did.

Keyboard: each box takes the focus (Tab); in a criterion box the digit keys choose the level with
that value (or the n-th level), Backspace clears it; in a gate box 1 / Y = met, 0 / N = not met;
the comment and the evidence file follow with Tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import lang

BOX_STYLE = ("QFrame#panelBox{border:1px solid #CBD2D9;border-radius:4px;background:palette(base)}"
             "QLabel#boxTitle{font-weight:bold;color:#1D4E89}"
             "QFrame#panelBox:focus{border:2px solid #1D4E89}"
             "QPushButton[level='true']{padding:3px 8px}"
             "QPushButton[level='true']:checked{background:#1D4E89;color:white;font-weight:bold}")


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


class _Box(QFrame):
    """A focusable frame: the keyboard's stop for one part of the rubric."""

    focused = Signal(object)  # the box

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("panelBox")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def focusInEvent(self, ev):  # noqa: N802
        super().focusInEvent(ev)
        self.focused.emit(self)

    def mousePressEvent(self, ev):  # noqa: N802
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(ev)


class CoiBox(_Box):
    """The conflict-of-interest declaration, first for every package."""

    declared = Signal(bool, str)  # recused, reason

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("boxTitle")
        self.none = QRadioButton(self)
        self.conflict = QRadioButton(self)
        for b in (self.none, self.conflict):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.group = QButtonGroup(self)
        self.group.addButton(self.none)
        self.group.addButton(self.conflict)
        self.reason = QLineEdit(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.none)
        lay.addWidget(self.conflict)
        lay.addWidget(self.reason)
        lay.addWidget(self.hint)
        self.none.clicked.connect(lambda: self.declared.emit(False, ""))
        self.conflict.clicked.connect(self._conflict)
        self.reason.editingFinished.connect(self._reason_done)
        self.retranslate()

    def _conflict(self) -> None:
        self.reason.setEnabled(True)
        if self.reason.text().strip():
            self.declared.emit(True, self.reason.text())
        else:
            self.reason.setFocus()

    def _reason_done(self) -> None:
        if self.conflict.isChecked() and self.reason.text().strip():
            self.declared.emit(True, self.reason.text())

    def set_state(self, coi) -> None:
        for b in (self.none, self.conflict):
            b.blockSignals(True)
        self.group.setExclusive(False)
        self.none.setChecked(coi is not None and not coi[0])
        self.conflict.setChecked(coi is not None and coi[0])
        self.group.setExclusive(True)
        for b in (self.none, self.conflict):
            b.blockSignals(False)
        self.reason.setText(coi[1] if coi and coi[0] else "")
        self.reason.setEnabled(coi is None or coi[0])

    def keyPressEvent(self, ev: QKeyEvent):  # noqa: N802
        if ev.key() in (Qt.Key.Key_N, Qt.Key.Key_0):
            self.none.setChecked(True)
            self.declared.emit(False, "")
        elif ev.key() in (Qt.Key.Key_C, Qt.Key.Key_R, Qt.Key.Key_1):
            self.conflict.setChecked(True)
            self._conflict()
        else:
            super().keyPressEvent(ev)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Conflict of interest"))
        self.none.setText(self.tr("&No conflict of interest with this applicant"))
        self.conflict.setText(self.tr("I have a conflict of interest and &recuse myself"))
        self.reason.setPlaceholderText(self.tr("Reason for the recusal (required), e.g. “I advised this school on the application”"))
        self.hint.setText(self.tr("Declare this first. A package you recuse yourself from cannot be scored, and your "
                                  "scores never count for it. Keys: N = no conflict, C = conflict."))


class GateBox(_Box):
    """A gate item: the rule engine's pre-filled result, the expert's confirmation, a reason on "not met"."""

    answered = Signal(str, bool, str)  # gate id, passed, reason

    def __init__(self, gate, parent=None):
        super().__init__(parent)
        self.gate = gate
        lay = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setObjectName("boxTitle")
        self.rules = QLabel(self)
        self.rules.setWordWrap(True)
        self.rules.setObjectName("hint")
        row = QHBoxLayout()
        self.met = QRadioButton(self)
        self.not_met = QRadioButton(self)
        for b in (self.met, self.not_met):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        row.addStretch(1)
        self.group = QButtonGroup(self)
        self.group.addButton(self.met)
        self.group.addButton(self.not_met)
        self.reason = QLineEdit(self)
        lay.addWidget(self.title)
        lay.addWidget(self.rules)
        lay.addLayout(row)
        lay.addWidget(self.reason)
        self.met.clicked.connect(lambda: self.answered.emit(self.gate.id, True, ""))
        self.not_met.clicked.connect(self._not_met)
        self.reason.editingFinished.connect(self._reason_done)
        self.prefill: dict = {}
        self.retranslate()

    def _not_met(self) -> None:
        self.reason.setEnabled(True)
        if self.reason.text().strip():
            self.answered.emit(self.gate.id, False, self.reason.text())
        else:
            self.reason.setFocus()

    def _reason_done(self) -> None:
        if self.not_met.isChecked() and self.reason.text().strip():
            self.answered.emit(self.gate.id, False, self.reason.text())

    def set_state(self, prefill: dict, answer) -> None:
        self.prefill = prefill or {}
        self.group.setExclusive(False)
        self.met.setChecked(answer is not None and answer.passed)
        self.not_met.setChecked(answer is not None and not answer.passed)
        self.group.setExclusive(True)
        self.reason.setText(answer.reason if answer is not None and not answer.passed else "")
        self.reason.setEnabled(answer is None or not answer.passed)
        self._show_prefill()

    def _show_prefill(self) -> None:
        L = lang()
        passed = self.prefill.get("passed")
        if passed is True:
            text = self.tr("The rules find this met. Confirm it, or overturn it with a reason.")
        elif passed is False:
            msgs = "; ".join(p["message"].get(L) or p["message"].get("zh", "") for p in self.prefill.get("problems") or [])
            text = self.tr("The rules find this NOT met: {why}").format(why=msgs)
        else:
            text = self.tr("No rule checks this: judge it from the application.")
        self.rules.setText(text)

    def keyPressEvent(self, ev: QKeyEvent):  # noqa: N802
        if ev.key() in (Qt.Key.Key_1, Qt.Key.Key_Y, Qt.Key.Key_M):
            self.met.setChecked(True)
            self.answered.emit(self.gate.id, True, "")
        elif ev.key() in (Qt.Key.Key_0, Qt.Key.Key_N):
            self.not_met.setChecked(True)
            self._not_met()
        else:
            super().keyPressEvent(ev)

    def retranslate(self) -> None:
        L = lang()
        self.title.setText(self.tr("Gate: {label}").format(label=self.gate.label.get(L)))
        self.met.setText(self.tr("Met"))
        self.not_met.setText(self.tr("Not met"))
        self.reason.setPlaceholderText(self.tr("Why it is not met (required)"))
        self._show_prefill()


class CriterionBox(_Box):
    """A scored criterion: level buttons with their descriptors, a comment, the evidence it points at."""

    scored = Signal(str, object)  # criterion id, value (None = cleared)
    commented = Signal(str, str)  # criterion id, comment
    evidence_chosen = Signal(str, object)  # criterion id, evidence index in the package (None = none)

    def __init__(self, criterion, weight_points: float, parent=None):
        super().__init__(parent)
        self.criterion = criterion
        self.points = weight_points
        lay = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("boxTitle")
        self.title.setWordWrap(True)
        self.focus_label = QLabel(self)
        self.focus_label.setWordWrap(True)
        self.focus_label.setObjectName("hint")
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[float, QPushButton] = {}
        for lv in sorted(criterion.levels, key=lambda x: x.value):
            b = QPushButton(self)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setProperty("level", True)
            b.clicked.connect(lambda _c=False, v=lv.value: self._pick(v))
            b.installEventFilter(self)
            self.group.addButton(b)
            self.buttons[lv.value] = b
            row.addWidget(b)
        row.addStretch(1)
        self.descriptor = QLabel(self)
        self.descriptor.setWordWrap(True)
        self.descriptor.setObjectName("hint")
        crow = QHBoxLayout()
        self.comment = QLineEdit(self)
        self.evidence = QComboBox(self)
        self.evidence.setMinimumWidth(150)
        self.evidence.setMaximumWidth(220)
        crow.addWidget(self.comment, 1)
        crow.addWidget(self.evidence)
        lay.addWidget(self.title)
        lay.addWidget(self.focus_label)
        lay.addLayout(row)
        lay.addWidget(self.descriptor)
        lay.addLayout(crow)
        self.comment.editingFinished.connect(self._comment_done)
        self.evidence.activated.connect(lambda i: self.evidence_chosen.emit(self.criterion.id, self.evidence.itemData(i)))
        self.value = None
        self._comment = ""
        self.applicable = True
        self.retranslate()

    # -- state

    def set_state(self, score, applicable: bool, evidence_items: list[tuple[int, str]]) -> None:
        self.applicable = applicable
        self.value = score.value if score is not None else None
        self._comment = score.comment if score is not None else ""
        self.group.setExclusive(False)
        for v, b in self.buttons.items():
            b.setChecked(v == self.value)
        self.group.setExclusive(True)
        self.comment.setText(self._comment)
        self.evidence.blockSignals(True)
        self.evidence.clear()
        self.evidence.addItem(self.tr("— no evidence file —"), None)
        chosen = score.evidence if score is not None else None
        sel = 0
        for n, name in evidence_items:
            self.evidence.addItem(name, n)
            if chosen and chosen.get("name") == name:
                sel = self.evidence.count() - 1
        self.evidence.setCurrentIndex(sel)
        self.evidence.blockSignals(False)
        for w in list(self.buttons.values()) + [self.comment, self.evidence]:
            w.setEnabled(applicable)
        self._show_descriptor(self.value)

    def _pick(self, v) -> None:
        if not self.applicable:
            return
        self.value = v
        self.buttons[v].setChecked(True)
        self._show_descriptor(v)
        self.scored.emit(self.criterion.id, v)

    def _comment_done(self) -> None:
        if self.comment.text().strip() != self._comment:
            self._comment = self.comment.text().strip()
            self.commented.emit(self.criterion.id, self._comment)

    def _show_descriptor(self, v) -> None:
        L = lang()
        if not self.applicable:
            self.descriptor.setText(self.tr("Does not apply to this package (its indicators are not part of the application)."))
            return
        lv = self.criterion.level(v) if v is not None else None
        if lv is None:
            self.descriptor.setText(self.tr("Choose a level (keys {keys}).").format(
                keys=", ".join(_fmt(x.value) for x in sorted(self.criterion.levels, key=lambda x: x.value))))
        else:
            self.descriptor.setText(f"{lv.label.get(L)}{'：' if L == 'zh' else ': '}{lv.descriptor.get(L)}")

    def eventFilter(self, obj, ev):  # noqa: N802 - hovering a level shows its descriptor
        from PySide6.QtCore import QEvent

        if ev.type() == QEvent.Type.Enter:
            v = next((val for val, b in self.buttons.items() if b is obj), None)
            if v is not None and self.applicable:
                lv = self.criterion.level(v)
                L = lang()
                self.descriptor.setText(f"{lv.label.get(L)}{'：' if L == 'zh' else ': '}{lv.descriptor.get(L)}")
        elif ev.type() == QEvent.Type.Leave:
            self._show_descriptor(self.value)
        return False

    def keyPressEvent(self, ev: QKeyEvent):  # noqa: N802
        text = ev.text()
        if text.isdigit() and self.applicable:
            k = int(text)
            levels = sorted(self.criterion.levels, key=lambda x: x.value)
            hit = next((lv.value for lv in levels if lv.value == k), None)
            if hit is None and 1 <= k <= len(levels):
                hit = levels[k - 1].value
            if hit is not None:
                self._pick(hit)
                return
        if ev.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and self.applicable and self.value is not None:
            self.value = None
            self.group.setExclusive(False)
            for b in self.buttons.values():
                b.setChecked(False)
            self.group.setExclusive(True)
            self._show_descriptor(None)
            self.scored.emit(self.criterion.id, None)
            return
        super().keyPressEvent(ev)

    def retranslate(self) -> None:
        L = lang()
        c = self.criterion
        self.title.setText(self.tr("{label} — weight {points} points · indicators {ids}").format(
            label=c.label.get(L), points=_fmt(round(self.points, 1)), ids=", ".join(c.indicators)))
        self.focus_label.setText(c.focus.get(L) if c.focus else "")
        self.focus_label.setVisible(c.focus is not None)
        for v, b in self.buttons.items():
            lv = c.level(v)
            b.setText(f"{_fmt(v)} {lv.label.get(L)}")
            b.setToolTip(lv.descriptor.get(L))
            b.setAccessibleName(self.tr("Level {value}: {label}").format(value=_fmt(v), label=lv.label.get(L)))
        self.comment.setPlaceholderText(self.tr("Comment on this criterion (optional)"))
        self.evidence.setToolTip(self.tr("The evidence file your comment is about"))
        self.setAccessibleName(c.label.get(L))
        self._show_descriptor(self.value)


class OverallBox(_Box):
    """The overall score (given on its own), the expert's confidence and an overall comment."""

    changed = Signal(object, object, str)  # score (None), confidence (None), comment

    def __init__(self, rubric, parent=None):
        super().__init__(parent)
        self.rubric = rubric
        lay = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("boxTitle")
        self.title.setWordWrap(True)
        row = QHBoxLayout()
        self.score = QDoubleSpinBox(self)
        o = rubric.overall
        self.score.setDecimals(1)
        if o is not None:
            self.score.setRange(o.min - 1, o.max)
            self.score.setSpecialValueText("—")  # the minimum − 1: not given yet
            self.score.setValue(o.min - 1)
        self.score.setVisible(o is not None)
        self.conf = QComboBox(self)
        self.conf.addItem("—", None)
        for c in rubric.confidence:
            self.conf.addItem(c.label.get(lang()), c.id)
        self.conf.setVisible(bool(rubric.confidence))
        self.conf_label = QLabel(self)
        self.conf_label.setBuddy(self.conf)
        row.addWidget(self.score)
        row.addSpacing(12)
        row.addWidget(self.conf_label)
        row.addWidget(self.conf, 1)
        self.comment = QLineEdit(self)
        lay.addWidget(self.title)
        lay.addLayout(row)
        lay.addWidget(self.comment)
        self.score.editingFinished.connect(self._emit)
        self.conf.activated.connect(lambda _i: self._emit())
        self.comment.editingFinished.connect(self._emit)
        self._last = None
        self.retranslate()

    def _value(self):
        o = self.rubric.overall
        if o is None or self.score.value() < o.min:
            return None
        return self.score.value()

    def _emit(self) -> None:
        now = (self._value(), self.conf.currentData(), self.comment.text().strip())
        if now != self._last:
            self._last = now
            self.changed.emit(*now)

    def set_state(self, score, confidence, comment: str) -> None:
        o = self.rubric.overall
        for w in (self.score, self.conf, self.comment):
            w.blockSignals(True)
        if o is not None:
            self.score.setValue(o.min - 1 if score is None else score)
        i = self.conf.findData(confidence)
        self.conf.setCurrentIndex(i if i >= 0 else 0)
        self.comment.setText(comment or "")
        for w in (self.score, self.conf, self.comment):
            w.blockSignals(False)
        self._last = (self._value(), self.conf.currentData(), self.comment.text().strip())

    def focusInEvent(self, ev):  # noqa: N802 - the spin box is where the keyboard goes
        super().focusInEvent(ev)
        if self.score.isVisible():
            self.score.setFocus()

    def retranslate(self) -> None:
        L = lang()
        o = self.rubric.overall
        self.title.setText(o.label.get(L) if o is not None else self.tr("Confidence"))
        self.conf_label.setText(self.tr("&Confidence:"))
        for n, c in enumerate(self.rubric.confidence, start=1):
            self.conf.setItemText(n, c.label.get(L))
        self.comment.setPlaceholderText(self.tr("Overall comment (optional)"))


class RubricPanel(QWidget):
    """Every box of the rubric, top to bottom: declaration, gates, criteria, overall."""

    def __init__(self, rubric, parent=None):
        super().__init__(parent)
        self.setStyleSheet(BOX_STYLE)
        self.rubric = rubric
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        self.coi = CoiBox(self)
        lay.addWidget(self.coi)
        self.gates = [GateBox(g, self) for g in rubric.gates]
        wsum = sum(c.weight for c in rubric.criteria) or 1
        self.criteria = [CriterionBox(c, c.weight / wsum * rubric.total, self) for c in rubric.criteria]
        self.overall = OverallBox(rubric, self)
        for b in self.gates + self.criteria + [self.overall]:
            lay.addWidget(b)
        lay.addStretch(1)
        prev = self.coi
        for b in self.gates + self.criteria:
            QWidget.setTabOrder(prev, b)
            if isinstance(b, GateBox):
                QWidget.setTabOrder(b, b.reason)
                prev = b.reason
            else:
                QWidget.setTabOrder(b, b.comment)
                QWidget.setTabOrder(b.comment, b.evidence)
                prev = b.evidence
        QWidget.setTabOrder(prev, self.overall)

    def boxes(self):
        return [self.coi] + self.gates + self.criteria + [self.overall]

    def set_scoring_enabled(self, on: bool) -> None:
        for b in self.gates + self.criteria + [self.overall]:
            b.setEnabled(on)

    def retranslate(self) -> None:
        for b in self.boxes():
            b.retranslate()
