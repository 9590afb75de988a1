"""Window and dialog sizes that fit the screen and their content.

- `keep_fitting(dialog, min_width)`: a dialog's minimum width without defeating its layout, and a
  minimum height that follows what the content needs AT THE CURRENT WIDTH. Qt derives a top-level
  window's minimum from its layout's minimumSize(), which ignores height-for-width (word-wrapped
  labels, form layouts); and an explicit setMinimumWidth() on the dialog replaces the layout's
  minimum altogether. Together they squashed the passphrase fields to ~10 px when they appeared.
  Here the width goes to the layout as a strut, and on every layout change or resize the minimum
  height is set to the layout's height for the current width.
- `fit_to_screen(window, preferred)`: the first size of a window: what it would like, but never
  more than the screen's available area (1366×768 laptops, 125 %/150 % scaling).
- `fits_screen(window)`: whether a restored geometry still fits the current screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout, QSizePolicy, QSpacerItem, QWidget


class _Fit(QObject):
    """Installed on the dialog; not its child (a filter that is a child of the object it filters is
    still called while that object is being destroyed). Gone with the dialog: `destroyed`."""

    def __init__(self, widget: QWidget):
        super().__init__()
        self.widget: QWidget | None = widget
        self._busy = False
        widget.destroyed.connect(self._gone)

    def _gone(self, *_a) -> None:
        self.widget = None
        self.deleteLater()

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt API
        if self.widget is not None and ev.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize, QEvent.Type.Show):
            self.refit()
            if ev.type() == QEvent.Type.Show:
                keep_on_screen(self.widget)
        return False

    def refit(self) -> None:
        w = self.widget
        lay = w.layout() if w is not None else None
        if lay is None or self._busy:
            return
        self._busy = True
        try:
            lay.activate()
            need = lay.minimumSize().height()
            if lay.hasHeightForWidth():
                need = max(need, lay.totalHeightForWidth(w.width()))
            avail = available_geometry(w).height()
            need = min(need, max(avail - 40, 200))  # never taller than the screen (it then scrolls or clips)
            if w.minimumHeight() != need:
                w.setMinimumHeight(need)  # Qt grows the window when it is smaller
        finally:
            self._busy = False


def keep_fitting(dialog: QWidget, min_width: int = 0) -> None:
    """See the module doc. Call once the dialog's layout is set (it may be called again)."""
    lay: QLayout | None = dialog.layout()
    if lay is not None and min_width:
        avail = available_geometry(dialog).width()
        lay.addItem(QSpacerItem(min(min_width, max(avail - 40, 300)), 0,
                                QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed))
    if getattr(dialog, "_dossier_fit", None) is None:
        f = _Fit(dialog)
        dialog.installEventFilter(f)
        dialog._dossier_fit = f  # the dialog's Python object keeps the filter alive


def available_geometry(widget: QWidget | None = None) -> QRect:
    screen = None
    if widget is not None:
        screen = widget.screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def keep_on_screen(window: QWidget) -> None:
    """Move a window that sticks out of the available screen area back into it."""
    if not window.isWindow():
        return
    avail = available_geometry(window)
    g = window.frameGeometry()
    if avail.contains(g):
        return
    x = min(max(g.x(), avail.x()), max(avail.x(), avail.right() + 1 - g.width()))
    y = min(max(g.y(), avail.y()), max(avail.y(), avail.bottom() + 1 - g.height()))
    window.move(x, y)


def fit_to_screen(window: QWidget, preferred: QSize, margin: int = 0, *, center: bool = True) -> None:
    """Resize to `preferred`, but within the available screen area (minus the window frame), and
    centre it there (`center=False` for dialogs: Qt places them over their parent, on screen)."""
    avail = available_geometry(window)
    frame_w = max(0, window.frameGeometry().width() - window.geometry().width())
    frame_h = max(0, window.frameGeometry().height() - window.geometry().height())
    if not window.isVisible() and window.isWindow():  # no frame yet: leave room for a title bar and borders
        frame_w, frame_h = max(frame_w, 8), max(frame_h, 36)
    w = min(preferred.width(), avail.width() - frame_w - margin)
    h = min(preferred.height(), avail.height() - frame_h - margin)
    window.resize(max(w, 200), max(h, 150))
    if not center:
        return
    x = avail.x() + max(0, (avail.width() - window.frameGeometry().width()) // 2)
    y = avail.y() + max(0, (avail.height() - window.frameGeometry().height()) // 2)
    window.move(x, y)


def fits_screen(window: QWidget) -> bool:
    """The window (as restored) lies within the available area of some screen."""
    g = window.frameGeometry()
    for s in QGuiApplication.screens():
        a = s.availableGeometry().adjusted(-8, -8, 8, 8)  # frames may stick out a little
        if a.contains(g):
            return True
    return False
