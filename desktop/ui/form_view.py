"""The form of one indicator, generated from the program definition, and the stack of forms.

FieldRow   label (with * when required) + help + editor + the reason a value was refused
IndicatorForm   the rows of one indicator in a scroll area; visible_if applied live from the Report
FormStack  one IndicatorForm per indicator, built the first time it is shown and kept (switching
           back is instant); only the shown form is updated on each edit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ..models.program import Field, Indicator
from .field_base import FieldEditor
from .fields_choice import BooleanEditor, ChoiceEditor, MultiChoiceEditor
from .fields_scalar import DateEditor, LongTextEditor, NumberEditor, TextEditor
from .i18n import lang
from .periods.previous import previous_value_label  # recurring reports: last period's figure and the change
from .table_editor import TableEditor

EDITORS = {
    "text": TextEditor,
    "longtext": LongTextEditor,
    "integer": NumberEditor,
    "number": NumberEditor,
    "percent": NumberEditor,
    "date": DateEditor,
    "choice": ChoiceEditor,
    "multichoice": MultiChoiceEditor,
    "boolean": BooleanEditor,
    "table": TableEditor,
}


def make_editor(session, field: Field, parent=None) -> FieldEditor:
    return EDITORS[field.type](session, field, parent)


class FieldRow(QWidget):
    def __init__(self, session, field: Field, parent=None):
        super().__init__(parent)
        self.field = field
        self.setObjectName("fieldRow")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 6)
        lay.setSpacing(3)
        self.label = QLabel(self)
        self.label.setObjectName("fieldLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.help = QLabel(self)
        self.help.setObjectName("hint")
        self.help.setWordWrap(True)
        self.editor = make_editor(session, field, self)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.label)
        lay.addWidget(self.help)
        lay.addWidget(self.editor)
        self.previous = previous_value_label(session, field, self)
        if self.previous is not None:
            lay.addWidget(self.previous)
        lay.addWidget(self.error)
        self.label.setBuddy(self.editor.focus_target())
        self.editor.problem.connect(self.show_problem)
        if session.readonly or not session.field_editable(field.path):  # read-only context of a hand-off
            self.editor.set_readonly(True)
        self.retranslate()

    def show_problem(self, msg: str) -> None:
        self.error.setText(msg)
        self.error.setVisible(bool(msg))
        self.editor.focus_target().setAccessibleDescription(msg or (self.field.help.get(lang()) if self.field.help else ""))

    def retranslate(self) -> None:
        f = self.field
        name = f.label.get(lang())
        star = ' <span style="color:#b3261e">*</span>' if f.required else ""
        self.label.setText(f"{_html(name)}{star}")
        self.help.setText(f.help.get(lang()) if f.help else "")
        self.help.setVisible(bool(f.help))
        target = self.editor.focus_target()
        target.setAccessibleName(name + (" " + self.tr("(required)") if f.required else ""))
        if f.help:
            target.setAccessibleDescription(f.help.get(lang()))
        self.label.setToolTip(f.path)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


def _html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class IndicatorForm(QScrollArea):
    def __init__(self, session, indicator: Indicator, parent=None):
        super().__init__(parent)
        self.session = session
        self.indicator = indicator
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("formBody")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(18, 12, 18, 18)
        lay.setSpacing(4)
        self.section_label = QLabel(body)
        self.section_label.setObjectName("sectionLabel")
        self.section_label.setWordWrap(True)
        self.title = QLabel(body)
        self.title.setObjectName("indicatorTitle")
        self.title.setWordWrap(True)
        self.notice = QLabel(body)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        lay.addWidget(self.section_label)
        lay.addWidget(self.title)
        lay.addWidget(self.notice)
        self.rows: dict[str, FieldRow] = {}
        prev = None
        for f in indicator.fields:
            row = FieldRow(session, f, body)
            self.rows[f.path] = row
            lay.addWidget(row)
            for t in row.editor.tab_widgets():  # every stop of every editor, in reading order
                if prev is not None:
                    QWidget.setTabOrder(prev, t)
                prev = t
        self.empty = QLabel(body)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.setVisible(not indicator.fields)
        lay.addWidget(self.empty)
        lay.addStretch(1)
        self.setWidget(body)
        self.retranslate()
        self.update_visibility()

    def editor(self, path: str) -> FieldEditor | None:
        row = self.rows.get(path)
        return row.editor if row else None

    def resizeEvent(self, ev):  # noqa: N802 - tables take the height the visible area gives them
        super().resizeEvent(ev)
        if ev.oldSize().height() != ev.size().height():
            for row in self.rows.values():
                if isinstance(row.editor, TableEditor):
                    row.editor.fit_height()

    def update_visibility(self) -> None:
        rep = self.session.report
        st = rep.indicators.get(self.indicator.id)
        hidden = st is not None and not st.visible
        for path, row in self.rows.items():
            vis = (path in rep.visible_fields) and not hidden
            if row.isHidden() == vis:
                row.setVisible(vis)
        self.notice.setVisible(hidden)

    def sync(self, path: str) -> None:
        row = self.rows.get(path)
        if row:
            row.editor.sync_from_session()

    def focus_field(self, path: str) -> bool:
        row = self.rows.get(path)
        if row is None or row.isHidden():
            return False
        self.ensureWidgetVisible(row, 0, 40)
        row.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def first_focus(self) -> None:
        for row in self.rows.values():
            if not row.isHidden():
                row.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def retranslate(self) -> None:
        ind = self.indicator
        sec = self.session.program.section_of(ind.id)
        self.section_label.setText(f"{sec.id}  {sec.title.get(lang())}" if sec else "")
        self.title.setText(f"{ind.id}  {ind.title.get(lang())}")
        self.notice.setText(self.tr("This indicator does not apply to your application, given your earlier answers."))
        self.empty.setText(self.tr("This indicator has no form fields: attach its evidence files on the right."))
        self.setAccessibleName(self.tr("Form of indicator {id}").format(id=ind.id))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


class FormStack(QStackedWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.forms: dict[str, IndicatorForm] = {}
        self.current_id: str | None = None
        session.valueChanged.connect(self._value_changed)
        session.reportChanged.connect(self._report_changed)

    def form(self, iid: str) -> IndicatorForm:
        f = self.forms.get(iid)
        if f is None:
            f = IndicatorForm(self.session, self.session.program.indicator(iid), self)
            self.forms[iid] = f
            self.addWidget(f)
        return f

    def show_indicator(self, iid: str) -> IndicatorForm:
        f = self.form(iid)
        f.update_visibility()
        self.setCurrentWidget(f)
        self.current_id = iid
        return f

    def current_form(self) -> IndicatorForm | None:
        return self.forms.get(self.current_id) if self.current_id else None

    def editor(self, path: str) -> FieldEditor | None:
        fld = self.session.program.field(path)
        if fld is None:
            return None
        return self.form(fld.indicator_id).editor(path)

    def _value_changed(self, path: str) -> None:
        fld = self.session.program.field(path)
        if fld and fld.indicator_id in self.forms:
            self.forms[fld.indicator_id].sync(path)

    def _report_changed(self) -> None:
        f = self.current_form()
        if f is not None:
            f.update_visibility()
