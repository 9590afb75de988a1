"""The preview window of one evidence file (double-click or Enter on a file in the evidence list):
the picture fitted to the window or at its real size, the text of a text file, or the reason there
is no preview — and "Open with the system viewer" for everything else. Works with no viewer
installed, which is the point: the file is checked where it is, inside the project."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontDatabase, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
)

from .evidence_preview import Preview, load_preview
from .fonts import visible
from .sizing import fit_to_screen, keep_fitting


class PreviewDialog(QDialog):
    def __init__(self, session, ev, parent=None, open_external=None):
        super().__init__(parent)
        self.session = session
        self.ev = ev
        self.open_external = open_external  # callable: opens the file with the system viewer
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lay = QVBoxLayout(self)
        self.name = QLabel(self)
        self.name.setObjectName("panelTitle")
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(self)
        self.facts.setObjectName("hint")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget(self)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.picture)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setObjectName("preview")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.reason = QLabel(self)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setWordWrap(True)
        self.reason.setObjectName("preview")
        for w in (self.scroll, self.text, self.reason):
            self.stack.addWidget(w)
        self.fit = QCheckBox(self)
        self.fit.setChecked(True)
        self.fit.toggled.connect(lambda _on: self._show_picture())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_btn.clicked.connect(self._open)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        lay.addWidget(self.name)
        lay.addWidget(self.facts)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.fit)
        lay.addWidget(self.buttons)
        sc = QShortcut(QKeySequence("Ctrl+0"), self)
        sc.activated.connect(self.fit.toggle)
        keep_fitting(self, 420)
        fit_to_screen(self, QSize(900, 760), margin=60, center=False)
        self.preview: Preview = load_preview(session, ev, 1600)
        self._pix = QPixmap.fromImage(self.preview.image) if self.preview.image is not None else None
        self.retranslate()
        self._fill()

    def _fill(self) -> None:
        pv = self.preview
        self.facts.setText(" · ".join(pv.facts))
        if self._pix is not None:
            self.stack.setCurrentWidget(self.scroll)
            self._show_picture()
        elif pv.text is not None:
            self.stack.setCurrentWidget(self.text)
            self.text.setPlainText(pv.text)
        else:
            self.stack.setCurrentWidget(self.reason)
            self.reason.setText(pv.reason)
        self.fit.setVisible(self._pix is not None)

    def shown_kind(self) -> str:
        """"picture", "text" or "none" (what the window shows)."""
        w = self.stack.currentWidget()
        return "picture" if w is self.scroll else ("text" if w is self.text else "none")

    def _show_picture(self) -> None:
        if self._pix is None:
            return
        if self.fit.isChecked():
            self.scroll.setWidgetResizable(True)
            room = self.scroll.viewport().size() - QSize(8, 8)
            pm = self._pix.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation) \
                if (self._pix.width() > room.width() or self._pix.height() > room.height()) else self._pix
        else:
            self.scroll.setWidgetResizable(False)
            pm = self._pix
        self.picture.setPixmap(pm)
        if not self.fit.isChecked():
            self.picture.resize(pm.size())

    def resizeEvent(self, ev):  # noqa: N802
        super().resizeEvent(ev)
        if self._pix is not None and self.fit.isChecked():
            self._show_picture()

    def _open(self) -> None:
        if self.open_external is not None:
            self.open_external()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Preview — {name}").format(name=visible(self.ev.name)))
        self.name.setText(visible(self.ev.name))
        self.name.setToolTip(self.ev.name)
        self.fit.setText(self.tr("&Fit to the window (Ctrl+0: real size)"))
        self.open_btn.setText(self.tr("&Open with the system viewer"))
        self.open_btn.setToolTip(self.tr("Open the file with the program this computer uses for it"))
        self.open_btn.setVisible(self.open_external is not None)
        self.text.setAccessibleName(self.tr("Text of the file"))
        self.picture.setAccessibleName(self.tr("Picture of the file"))

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
