"""The main window's actions, shortcuts and menus (texts retranslated on LanguageChange).

Shortcuts: a standard key (QKeySequence.StandardKey) is expanded to every binding the platform
gives it and each key sequence is bound ONCE per window: Qt refuses a key bound twice ("Ambiguous
shortcut overload") and then does nothing at all, which is how F1 once stopped working.

Other capabilities add their entries with one small hunk each: create the QAction with `act()`
in `__init__` (section "other capabilities"), add it in `build_menus` at the marked place of its
menu, and set its text in `retranslate`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from . import i18n
from .periods import menu as periods_menu  # recurring reports: File → Start next period from this one…


def key_sequences(shortcuts) -> list[QKeySequence]:
    """Every key sequence of `shortcuts` (strings or standard keys), each once, in order."""
    out: list[QKeySequence] = []
    seen: set[str] = set()
    for s in shortcuts:
        seqs = QKeySequence.keyBindings(s) if isinstance(s, QKeySequence.StandardKey) else [QKeySequence(s)]
        for q in seqs:
            key = q.toString(QKeySequence.SequenceFormat.PortableText)
            if key and key not in seen:
                seen.add(key)
                out.append(q)
    return out


class WindowActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        w = window
        taken: set[str] = set()  # each key sequence once in this window

        def act(shortcuts=(), checkable=False) -> QAction:
            a = QAction(w)
            seqs = [q for q in key_sequences(shortcuts)
                    if q.toString(QKeySequence.SequenceFormat.PortableText) not in taken]
            taken.update(q.toString(QKeySequence.SequenceFormat.PortableText) for q in seqs)
            if seqs:
                a.setShortcuts(seqs)
            a.setCheckable(checkable)
            w.addAction(a)  # shortcuts work even when the menu bar is hidden
            return a

        self.act = act  # for the entries other capabilities add
        S = QKeySequence.StandardKey
        self.new = act([S.New])
        self.open = act([S.Open])
        self.open_package = act()
        self.import_notes = act()  # File → Import reviewer notes… (desktop.ui.review)
        self.close = act([S.Close])
        self.export = act(["Ctrl+E"])
        self.quit = act([S.Quit, "Ctrl+Q"])
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
        # -- other capabilities (hand-off, review, next period, cover details): their actions here

    def build_menus(self, bar: QMenuBar) -> None:
        # File: project | recent | this application's outputs | exchanging with others | close
        self.file_menu = bar.addMenu("")
        for a in (self.new, self.open):
            self.file_menu.addAction(a)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.save)
        self.file_menu.addAction(self.cover)
        self.file_menu.addAction(self.export)
        self.file_menu.addAction(self.next_period)
        # -- more outputs of the project: add here
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.open_package)
        # -- exchanging with others: hand-offs, review notes
        self.file_menu.addSeparator()
        for a in (self.share_part, self.return_part, self.merge_return, self.handoffs, self.import_notes):
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
        self.import_notes.setText(self.tr("Import reviewer &notes…"))
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
