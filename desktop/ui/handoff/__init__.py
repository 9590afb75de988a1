"""Joint filling in the desktop app (issue #9): share a part, the partner's banner and limits,
return to the lead, merge a return (side-by-side conflicts, one undo step), the hand-offs list.

`install(window)` wires the File-menu actions (desktop.ui.actions) of a MainWindow to a
HandoffController and shows the partner's banner on a hand-off file. The core services are
desktop.handoff's, the same the `dossier handoff` commands call.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog

from ...handoff import RETURN_SUFFIX, open_return, plan_merge
from ..dialogs import message, show_error
from ..i18n import lang


class HandoffController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.banner = None
        self.last_dialog = None

    # ------------------------------------------------------------ dialogs (tests replace _exec)

    def _exec(self, dlg: QDialog) -> bool:
        return dlg.exec() == QDialog.DialogCode.Accepted

    def share(self) -> None:
        from .share_dialog import ShareDialog

        if self.session.handoff is not None:
            message(self.window, "info", self.tr("Share part with a partner"),
                    self.tr("This file is itself a part shared with you. Return it to the lead instead of sharing it further."))
            return
        dlg = ShareDialog(self.session, self.window)
        self.last_dialog = dlg
        self._exec(dlg)

    def return_to_lead(self) -> None:
        from .return_dialog import ReturnDialog

        if self.session.handoff is None:
            message(self.window, "info", self.tr("Return to lead"),
                    self.tr("Only a part shared with you by a lead (a hand-off file) can be returned."))
            return
        dlg = ReturnDialog(self.session, self.window)
        self.last_dialog = dlg
        self._exec(dlg)

    def show_list(self) -> None:
        from .panel import HandoffsDialog

        dlg = HandoffsDialog(self.session, self.window)
        dlg.panel.shareRequested.connect(lambda: (dlg.accept(), self.share()))
        dlg.panel.mergeRequested.connect(lambda: (dlg.accept(), self.merge()))
        self.last_dialog = dlg
        self._exec(dlg)

    def merge(self, path: str | Path | None = None) -> bool:
        """Pick a return file, show what it changes and the conflicts, merge (one undo step)."""
        from .merge_dialog import MergeDialog
        from .undo import MergeCommand

        s = self.session
        title = self.tr("Merge returned part")
        if s.handoff is not None:
            message(self.window, "info", title, self.tr("This file is a part shared with you: returns are merged by the lead."))
            return False
        if s.readonly:
            message(self.window, "warning", title, self.tr("The project is open read-only; copy it to a writable place first."))
            return False
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self.window, title, str(s.path.parent),
                                                   self.tr("Dossier return files (*{suffix})").format(suffix=RETURN_SUFFIX)
                                                   + ";;" + self.tr("All files (*)"))
            if not path:
                return False
        s.flush()
        s.wait_idle()

        def work(_task, proj):
            with open_return(path) as rf:
                return plan_merge(proj, rf)

        outcome, plan = s.run_job(work, self.tr("Checking the return file…"))
        if outcome == "failed":
            show_error(self.window, title, plan)
            return False
        if outcome != "ok":
            return False
        if plan.already_merged:
            en, zh = plan.warnings[0]
            message(self.window, "info", title, zh if lang() == "zh" else en)
            return False
        dlg = MergeDialog(s, plan, self.window)
        self.last_dialog = dlg
        if not self._exec(dlg):
            return False
        cmd = MergeCommand(s, Path(path), plan.partner, dlg.choices(), skip_out_of_scope=dlg.skip_oos.isChecked(),
                           accept_signer=dlg.accept_signer.isChecked())
        s.undo_stack.push(cmd)
        if cmd.error is not None:
            return False
        self.window.statusBar().showMessage(self.tr("Merged the part returned by {partner}.").format(partner=plan.partner), 8000)
        return True


def install(window) -> HandoffController:
    """Wire the hand-off actions of a main window; show the banner on a partner's hand-off file."""
    c = HandoffController(window)
    a = window.actions_
    a.share_part.triggered.connect(c.share)
    a.return_part.triggered.connect(c.return_to_lead)
    a.merge_return.triggered.connect(lambda: c.merge())
    a.handoffs.triggered.connect(c.show_list)
    partner = window.session.handoff is not None
    a.share_part.setVisible(not partner)
    a.merge_return.setVisible(not partner)
    a.handoffs.setVisible(not partner)
    a.return_part.setVisible(partner)
    if partner:
        from .banner import PartnerBanner

        c.banner = PartnerBanner(window.session, window)
        c.banner.returnRequested.connect(c.return_to_lead)
        window.centralWidget().layout().insertWidget(0, c.banner)
    window.handoff = c
    return c
