"""The main window's actions, shortcuts and menus (texts retranslated on LanguageChange)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from . import i18n
from .periods import menu as periods_menu  # recurring reports: File → Start next period from this one…


class WindowActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        w = window

        def act(shortcuts=(), checkable=False) -> QAction:
            a = QAction(w)
            seqs = [QKeySequence(s) for s in shortcuts]
            if seqs:
                a.setShortcuts(seqs)
            a.setCheckable(checkable)
            w.addAction(a)  # shortcuts work even when the menu bar is hidden
            return a

        S = QKeySequence.StandardKey
        self.new = act([S.New])
        self.open = act([S.Open])
        self.open_package = act()
        self.close = act([S.Close])
        self.export = act(["Ctrl+E"])
        self.quit = act([S.Quit])
        self.save = act([S.Save])
        self.undo = act([S.Undo])
        self.redo = act(["Ctrl+Shift+Z", S.Redo])
        self.next_indicator = act(["Ctrl+PgDown"])
        self.prev_indicator = act(["Ctrl+PgUp"])
        self.next_panel = act(["F6"])
        self.show_problems = act(["Ctrl+Shift+P"])
        self.help = act([S.HelpContents, "F1"])
        self.about = act()
        self.identity = act()  # Settings → Institution identity… (issue #5)
        self.next_period = periods_menu.make_action(w)  # recurring reports (desktop.ui.periods)
        # File → hand-offs (issue #9, desktop.ui.handoff): the lead shares and merges, a partner returns
        self.share_part = act()
        self.return_part = act()
        self.merge_return = act()
        self.handoffs = act()
        self.cover = act()  # File → Cover details… (the 申报书 cover: desktop/ui/cover)
        self.lang_group = QActionGroup(w)
        self.lang_zh = act(checkable=True)
        self.lang_en = act(checkable=True)
        self.lang_group.addAction(self.lang_zh)
        self.lang_group.addAction(self.lang_en)
        self.undo.setEnabled(False)
        self.redo.setEnabled(False)
        self.recent_menu = QMenu(w)

    def build_menus(self, bar: QMenuBar) -> None:
        self.file_menu = bar.addMenu("")
        for a in (self.new, self.open):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save)
        self.file_menu.addAction(self.cover)
        self.file_menu.addAction(self.export)
        self.file_menu.addAction(self.next_period)
        self.file_menu.addAction(self.open_package)
        self.file_menu.addSeparator()
        for a in (self.share_part, self.return_part, self.merge_return, self.handoffs):
            self.file_menu.addAction(a)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close)
        self.file_menu.addAction(self.quit)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo)
        self.edit_menu.addAction(self.redo)
        self.view_menu = bar.addMenu("")
        for a in (self.next_indicator, self.prev_indicator, self.next_panel, self.show_problems):
            self.view_menu.addAction(a)
        self.view_menu.addSeparator()
        self.lang_menu = self.view_menu.addMenu("")
        self.lang_menu.addAction(self.lang_zh)
        self.lang_menu.addAction(self.lang_en)
        self.settings_menu = bar.addMenu("")
        self.settings_menu.addAction(self.identity)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.help)
        self.help_menu.addAction(self.about)
        self.retranslate()

    def retranslate(self) -> None:
        self.new.setText(self.tr("&New project…"))
        self.open.setText(self.tr("&Open project…"))
        self.open_package.setText(self.tr("Open &package and verify…"))
        self.close.setText(self.tr("&Close project"))
        self.export.setText(self.tr("&Seal && export…"))
        self.quit.setText(self.tr("&Quit"))
        self.save.setText(self.tr("&Save (everything is saved as you type)"))
        self.next_indicator.setText(self.tr("&Next indicator"))
        self.prev_indicator.setText(self.tr("&Previous indicator"))
        self.next_panel.setText(self.tr("Next &panel"))
        self.show_problems.setText(self.tr("Show all p&roblems"))
        self.help.setText(self.tr("Dossier &help"))
        self.about.setText(self.tr("&About Dossier"))
        self.cover.setText(self.tr("Co&ver details…"))
        self.cover.setStatusTip(self.tr("Contact person, telephone, date and recommending authority on the cover"))
        self.identity.setText(self.tr("Institution &identity…"))
        self.identity.setStatusTip(self.tr("The key that signs your exports: create, back up, import or delete it"))
        periods_menu.retranslate(self.next_period)
        self.share_part.setText(self.tr("S&hare part with a partner…"))
        self.return_part.setText(self.tr("Re&turn to lead…"))
        self.merge_return.setText(self.tr("&Merge returned part…"))
        self.handoffs.setText(self.tr("Hand-o&ffs…"))
        self.lang_zh.setText("中文")
        self.lang_en.setText("English")
        self.lang_zh.setChecked(i18n.lang() == "zh")
        self.lang_en.setChecked(i18n.lang() == "en")
        self.recent_menu.setTitle(self.tr("Open &recent"))
        if hasattr(self, "file_menu"):
            self.file_menu.setTitle(self.tr("&File"))
            self.edit_menu.setTitle(self.tr("&Edit"))
            self.view_menu.setTitle(self.tr("&View"))
            self.lang_menu.setTitle(self.tr("&Language"))
            self.settings_menu.setTitle(self.tr("&Settings"))
            self.help_menu.setTitle(self.tr("&Help"))
