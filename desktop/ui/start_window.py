"""The start window: create a project (program, applicant, where to save), open one, recent
projects, install a program definition, open a submitted package; the UI language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..models.program import Program
from .i18n import lang
from .list_items import LINES_ROLE, MUTED_ROLE, LinesDelegate
from .settings import Settings
from .sizing import fit_to_screen

PROGRAM_ROLE = Qt.ItemDataRole.UserRole


class StartWindow(QWidget):
    createRequested = Signal(object, str)  # Program, applicant name
    openRequested = Signal(str)  # a path ("" = ask)
    installRequested = Signal()
    packageRequested = Signal()
    reviewRequested = Signal()  # the reviewer's desk (desktop.ui.review)
    languageRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("startWindow")
        self.programs: list[Program] = []
        self.load_problems: list = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        outer.setSpacing(12)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("appTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("hint")
        self.subtitle.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.lang_label = QLabel(self)
        self.lang_combo = QComboBox(self)
        self.lang_combo.addItem("中文", "zh")
        self.lang_combo.addItem("English", "en")
        self.lang_label.setBuddy(self.lang_combo)
        self.lang_combo.currentIndexChanged.connect(self._lang_chosen)
        head.addWidget(self.lang_label, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.lang_combo, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)

        body = QHBoxLayout()
        body.setSpacing(18)
        # -- new application
        self.new_box = QGroupBox(self)
        nl = QVBoxLayout(self.new_box)
        self.step1 = QLabel(self.new_box)
        self.program_list = QTreeWidget(self.new_box)
        self.program_list.setColumnCount(1)
        self.program_list.setHeaderHidden(True)
        self.program_list.setRootIsDecorated(False)
        self.program_list.setAlternatingRowColors(True)
        self.program_list.setItemDelegate(LinesDelegate(self.program_list))  # title, then issuer · number
        self.program_list.setUniformRowHeights(True)
        self.program_list.setMinimumWidth(360)
        self.program_list.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.program_list.itemActivated.connect(lambda *_a: self.applicant.setFocus())
        self.step1.setBuddy(self.program_list)
        self.program_note = QLabel(self.new_box)
        self.program_note.setObjectName("hint")
        self.program_note.setWordWrap(True)
        self.step2 = QLabel(self.new_box)
        self.applicant = QLineEdit(self.new_box)
        self.applicant.textChanged.connect(lambda _t: self._update_buttons())
        self.applicant.returnPressed.connect(self._create)
        self.step2.setBuddy(self.applicant)
        row = QHBoxLayout()
        self.create_btn = QPushButton(self.new_box)
        self.create_btn.setDefault(True)
        self.create_btn.clicked.connect(self._create)
        self.install_btn = QPushButton(self.new_box)
        self.install_btn.clicked.connect(self.installRequested.emit)
        row.addWidget(self.create_btn)
        row.addStretch(1)
        row.addWidget(self.install_btn)
        nl.addWidget(self.step1)
        nl.addWidget(self.program_list, 1)
        nl.addWidget(self.program_note)
        nl.addWidget(self.step2)
        nl.addWidget(self.applicant)
        nl.addLayout(row)
        body.addWidget(self.new_box, 3)

        # -- continue
        self.open_box = QGroupBox(self)
        ol = QVBoxLayout(self.open_box)
        self.open_btn = QPushButton(self.open_box)
        self.open_btn.clicked.connect(lambda: self.openRequested.emit(""))
        self.recent_label = QLabel(self.open_box)
        self.recent = QListWidget(self.open_box)
        self.recent.setItemDelegate(LinesDelegate(self.recent, middle_elide_last=True))
        self.recent.setUniformItemSizes(True)
        self.recent.itemActivated.connect(self._recent_activated)
        self.recent_label.setBuddy(self.recent)
        self.no_recent = QLabel(self.open_box)
        self.no_recent.setObjectName("hint")
        self.no_recent.setWordWrap(True)
        self.package_btn = QPushButton(self.open_box)
        self.package_btn.clicked.connect(self.packageRequested.emit)
        ol.addWidget(self.open_btn)
        ol.addWidget(self.recent_label)
        ol.addWidget(self.recent, 1)
        ol.addWidget(self.no_recent)
        ol.addWidget(self.package_btn)
        self.review_btn = QPushButton(self.open_box)  # the reviewer's desk (issue #10)
        self.review_btn.clicked.connect(self.reviewRequested.emit)
        ol.addWidget(self.review_btn)
        body.addWidget(self.open_box, 2)
        outer.addLayout(body, 1)

        foot = QHBoxLayout()
        self.footer = QLabel(self)
        self.footer.setObjectName("hint")
        self.identity_btn = QPushButton(self)  # Settings → Institution identity (issue #5)
        self.identity_btn.clicked.connect(self.show_identity)
        foot.addWidget(self.footer, 1)
        foot.addWidget(self.identity_btn)
        outer.addLayout(foot)

        QWidget.setTabOrder(self.program_list, self.applicant)
        QWidget.setTabOrder(self.applicant, self.create_btn)
        QWidget.setTabOrder(self.create_btn, self.install_btn)
        QWidget.setTabOrder(self.install_btn, self.open_btn)
        QWidget.setTabOrder(self.open_btn, self.recent)
        QWidget.setTabOrder(self.recent, self.package_btn)
        QWidget.setTabOrder(self.package_btn, self.review_btn)
        QWidget.setTabOrder(self.review_btn, self.identity_btn)
        QWidget.setTabOrder(self.identity_btn, self.lang_combo)

        fit_to_screen(self, QSize(1080, 640))
        self.reload_programs()
        self.reload_recent()
        self.retranslate()

    # ------------------------------------------------------------ data

    def reload_programs(self, select: str | None = None) -> None:
        from ..programs import all_programs, load_errors

        try:
            progs = all_programs()
        except Exception:  # noqa: BLE001 - a definition being edited must not stop the app
            progs = []
        latest: dict[str, Program] = {}
        for p in progs:  # sorted by id, version: keep the newest of each id
            latest[p.id] = p
        self.programs = list(latest.values())
        try:
            self.load_problems = load_errors()
        except Exception:  # noqa: BLE001
            self.load_problems = []
        cur = select or (self.selected_program().key if self.selected_program() else None)
        self.program_list.clear()
        for p in self.programs:
            it = QTreeWidgetItem(self.program_list)
            it.setData(0, PROGRAM_ROLE, p.key)
            if p.key == cur or p.id == cur:
                self.program_list.setCurrentItem(it)
        self._fill_program_texts()
        self._update_buttons()

    def _fill_program_texts(self) -> None:
        L = lang()
        by_key = {p.key: p for p in self.programs}
        for i in range(self.program_list.topLevelItemCount()):
            it = self.program_list.topLevelItem(i)
            p = by_key.get(it.data(0, PROGRAM_ROLE))
            if p is None:
                continue
            # the document number first: a long issuer is elided, the number stays readable
            meta = " · ".join(x for x in (p.source.number, p.issuer.get(L)) if x)
            it.setText(0, f"{p.title.get(L)} — {meta}")
            it.setData(0, LINES_ROLE, [p.title.get(L), meta])
            it.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{p.title.get(L)}, {meta}")
            tip = [p.title.zh, p.title.en, meta, f"{p.id} {p.version} ({p.origin})"]
            if p.description:
                tip.append(p.description.get(L))
            it.setToolTip(0, "\n".join(tip))

    def selected_program(self) -> Program | None:
        it = self.program_list.currentItem()
        if it is None:
            return None
        key = it.data(0, PROGRAM_ROLE)
        return next((p for p in self.programs if p.key == key), None)

    def reload_recent(self) -> None:
        """Each recent project: its file name; program, applicant, completeness and last edit (as
        recorded when it was last open here; the time is the file's own, so edits made elsewhere
        count); its folder."""
        st = Settings()
        self.recent.clear()
        for f in st.recent_files():
            p = Path(f)
            info = st.recent_info(p)
            prog = (info.get("program_en") if lang() == "en" else "") or info.get("program_zh") or ""
            lines = [p.name, self.recent_summary(p, info), prog, str(p.parent)]
            it = QListWidgetItem(" — ".join(lines))
            it.setData(Qt.ItemDataRole.UserRole, f)
            it.setData(LINES_ROLE, lines)
            it.setToolTip("\n".join([str(p)] + [x for x in lines[1:3] if x]))
            if not p.exists():
                it.setData(MUTED_ROLE, True)
                it.setToolTip(self.tr("{path}\nNot found: moved, renamed, or on a drive that is not connected").format(path=p))
            self.recent.addItem(it)
        self.no_recent.setVisible(self.recent.count() == 0)
        self.recent.setVisible(self.recent.count() > 0)

    def recent_summary(self, p: Path, info: dict) -> str:
        import datetime as _dt

        parts = []
        if info.get("applicant"):
            parts.append(info["applicant"])
        if isinstance(info.get("completeness"), int):
            parts.append(self.tr("{pct}% complete").format(pct=info["completeness"]))
        try:
            edited = _dt.datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            edited = ""
        if edited:
            parts.append(self.tr("edited {time}").format(time=edited))
        return " · ".join(parts)

    def _recent_activated(self, it: QListWidgetItem) -> None:
        self.openRequested.emit(it.data(Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        self.create_btn.setEnabled(self.selected_program() is not None)

    def _create(self) -> None:
        prog = self.selected_program()
        if prog is None:
            self.program_list.setFocus()
            return
        self.createRequested.emit(prog, self.applicant.text().strip())

    def _lang_chosen(self, _i: int) -> None:
        code = self.lang_combo.currentData()
        if code and code != lang():
            self.languageRequested.emit(code)

    # ------------------------------------------------------------ language

    def retranslate(self) -> None:
        # the platform adds " — Dossier" (the application's display name) to every window title
        self.setWindowTitle(self.tr("Applications to industry–education programs"))
        self.title.setText(self.tr("Dossier"))
        self.subtitle.setText(self.tr("Prepare an application to one of China's industry–education programs: fill in "
                                      "the indicators, attach the evidence, seal and export the submission."))
        self.lang_label.setText(self.tr("&Language:"))
        self.lang_combo.blockSignals(True)
        self.lang_combo.setCurrentIndex(0 if lang() == "zh" else 1)
        self.lang_combo.blockSignals(False)
        self.new_box.setTitle(self.tr("New application"))
        self.step1.setText(self.tr("1. Choose the &program:"))
        self.program_list.setAccessibleName(self.tr("Programs"))
        self.step2.setText(self.tr("2. &Applicant (your school, government department or institution):"))
        self.applicant.setPlaceholderText(self.tr("e.g. 广西机电职业技术学院"))
        self.applicant.setAccessibleName(self.tr("Applicant name"))
        self.create_btn.setText(self.tr("&Create project…"))
        self.create_btn.setToolTip(self.tr("Choose where to save the new project file"))
        self.install_btn.setText(self.tr("&Install a program definition…"))
        self.open_box.setTitle(self.tr("Continue an application"))
        self.open_btn.setText(self.tr("&Open project…"))
        self.recent_label.setText(self.tr("&Recent projects:"))
        self.recent.setAccessibleName(self.tr("Recent projects"))
        self.no_recent.setText(self.tr("Projects you open or create will be listed here."))
        self.package_btn.setText(self.tr("Open a submitted &package and verify it…"))
        self.review_btn.setText(self.tr("Re&view packages…"))
        self.review_btn.setToolTip(self.tr("The reviewer's desk: take in many packages, compare them, return them for revision"))
        self.footer.setText(self.tr("Everything stays on this computer. Press F1 for help."))
        self.identity_btn.setText(self.tr("Institution i&dentity…"))
        self.identity_btn.setToolTip(self.tr("The key that signs your exports: create, back up, import or delete it"))
        if self.load_problems:
            self.program_note.setText(self.tr("{n} program definition files could not be read and are not listed.")
                                      .format(n=len(self.load_problems)))
            self.program_note.setToolTip("\n".join(e.text(lang()) for e in self.load_problems))
        else:
            self.program_note.setText("")
        self.program_note.setVisible(bool(self.load_problems))
        self._fill_program_texts()
        self.reload_recent()  # its summaries are in the UI language

    def show_identity(self) -> None:
        from .identity_dialog import IdentityDialog

        IdentityDialog(self, applicant=(self.applicant.text().strip(), "")).exec()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def keyPressEvent(self, ev):  # noqa: N802 - F1 help on the start window too
        if ev.key() == Qt.Key.Key_F1:
            from .dialogs import HelpDialog

            HelpDialog(self).exec()
            return
        super().keyPressEvent(ev)

