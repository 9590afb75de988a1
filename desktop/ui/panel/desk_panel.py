"""The expert panel on the reviewer's desk: a "Panel" menu and a "Panel" tab.

    install_panel(desk)      called once by desktop.ui.review.desk.DeskWindow

The tab shows the current round's result — gate failures first, then the ranking with ties, then
packages not scored yet — with each package's breakdown beside it, the aggregation settings
(z-score normalisation, disagreement threshold, gate rule; saved in the review file), decisions,
and the outputs: 推荐名单汇总表, 公示 list, review report. The menu also assigns packages, merges
score sheets, edits the rubric and opens an expert sheet (for an expert using this computer).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..dialogs import message, show_error
from ..i18n import lang
from ..settings import Settings
from .html import result_html


def _n(v, d: int = 2) -> str:
    if v is None:
        return "—"
    v = round(float(v), d)
    return str(int(v)) if v.is_integer() else f"{v:.{d}f}".rstrip("0").rstrip(".")


class PanelTab(QWidget):
    COLS = 10

    def __init__(self, desk):
        super().__init__(desk.tabs)
        self.desk = desk
        self.results = None
        self.stale = True
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        lay.addWidget(self.status)
        row = QHBoxLayout()
        self.normalise = QCheckBox(self)
        self.normalise.toggled.connect(lambda _c: self._settings_changed())
        self.th_label = QLabel(self)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setRange(0.05, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.editingFinished.connect(self._settings_changed)
        self.th_label.setBuddy(self.threshold)
        self.gr_label = QLabel(self)
        self.gate_rule = QComboBox(self)
        self.gate_rule.addItem("", "any")
        self.gate_rule.addItem("", "majority")
        self.gate_rule.activated.connect(lambda _i: self._settings_changed())
        self.gr_label.setBuddy(self.gate_rule)
        for w in (self.normalise, self.th_label, self.threshold, self.gr_label, self.gate_rule):
            row.addWidget(w)
        row.addStretch(1)
        lay.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableWidget(0, self.COLS, split)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda *_a: self._show_detail())
        self.detail = QTextBrowser(split)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([760, 520])
        lay.addWidget(split, 1)
        brow = QHBoxLayout()
        self.rec_btn = QPushButton(self)
        self.rec_btn.clicked.connect(lambda: self.decide(True))
        self.not_btn = QPushButton(self)
        self.not_btn.clicked.connect(lambda: self.decide(False))
        self.summary_btn = QPushButton(self)
        self.summary_btn.clicked.connect(self.export_summary)
        self.publicity_btn = QPushButton(self)
        self.publicity_btn.clicked.connect(self.export_publicity)
        self.report_btn = QPushButton(self)
        self.report_btn.clicked.connect(self.export_report)
        self.anonymise = QCheckBox(self)
        for w in (self.rec_btn, self.not_btn):
            brow.addWidget(w)
        brow.addStretch(1)
        for w in (self.summary_btn, self.publicity_btn, self.report_btn, self.anonymise):
            brow.addWidget(w)
        lay.addLayout(brow)
        self.retranslate()

    # ------------------------------------------------------------------ data

    def invalidate(self) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, ev):  # noqa: N802
        super().showEvent(ev)
        if self.stale:
            self.reload()

    def _settings(self):
        from ...panel.aggregate import Settings as AggSettings

        return AggSettings(self.threshold.value(), self.normalise.isChecked(), self.gate_rule.currentData())

    def _settings_changed(self) -> None:
        rv = self.desk.rv
        if rv is None or getattr(self, "_filling", False):
            return
        if not rv.readonly:
            from ...panel.aggregate import save_settings

            try:
                save_settings(rv, threshold=self.threshold.value(), normalise=self.normalise.isChecked(),
                              gate_rule=self.gate_rule.currentData())
            except Exception as e:  # noqa: BLE001
                show_error(self, self.tr("Panel settings"), e)
        self.reload(keep_settings=True)

    def reload(self, keep_settings: bool = False) -> None:
        from ...panel.aggregate import aggregate, settings_of
        from ...panel.decisions import current_all
        from ...panel.experts import sheets
        from ...panel.rounds import current_round

        rv = self.desk.rv
        self.stale = False
        if rv is None or self.desk.busy:
            return
        sel = self.current_package()
        st = self._settings() if keep_settings else settings_of(rv)
        if not keep_settings:
            self._filling = True
            self.normalise.setChecked(st.normalise)
            self.threshold.setValue(st.threshold)
            self.gate_rule.setCurrentIndex(max(0, self.gate_rule.findData(st.gate_rule)))
            self._filling = False
        try:
            info = current_round(rv)
            self.results = aggregate(rv, settings=st) if info is not None else None
        except Exception as e:  # noqa: BLE001 - a damaged rubric: say so, keep the window
            self.results = None
            self.status.setText(str(e))
            return
        if info is None:
            self.status.setText(self.tr("The panel has not started. Panel → Assign packages to an expert… writes an expert "
                                        "sheet; Panel → Rubric… shows the rubric (weights and levels can be changed until "
                                        "the first scores are merged)."))
        else:
            sh = sheets(rv, info.round)
            merged = sum(1 for s in sh if s.merged_at)
            outdated = sum(1 for s in sh if not s.merged_at and s.rubric_sha256 != info.sha256)
            frozen = self.tr("frozen") if info.frozen else self.tr("can still be changed")
            self.status.setText(self.tr("Round {round} · rubric version {version} ({frozen}) · sheets issued: {issued}, "
                                        "merged: {merged}, outdated: {outdated}").format(
                round=info.round, version=info.version, frozen=frozen, issued=len(sh), merged=merged, outdated=outdated))
        self.decisions = current_all(rv)
        self.recs = {r.id: r for r in rv.packages()}
        self._fill_table()
        if sel is not None:
            self.select(sel)
        elif self.table.rowCount():
            self.table.selectRow(0)
        self._show_detail()
        self._update_buttons()

    def _fill_table(self) -> None:
        from ...panel.decisions import DECISION_LABELS

        res = self.results
        pk = res.packages if res is not None else []
        self.table.setRowCount(len(pk))
        L = lang()
        red, amber = QColor("#FEF3F2"), QColor("#FFFAEB")
        for r, p in enumerate(pk):
            rec = self.recs.get(p.package)
            d = self.decisions.get(p.package)
            gates = self.tr("failed") if p.gate_failed else (self.tr("met") if p.gates else "—")
            experts = str(len(p.experts)) + (self.tr(" (+{n} recused)").format(n=len(p.recused)) if p.recused else "")
            vals = [p.rank_text or "—", f"#{p.package}", rec.applicant if rec else "", _n(p.score),
                    _n(p.total.sd) if p.total else "—", _n(p.total.range) if p.total else "—", experts, gates,
                    "⚑" if p.disagreement else "", DECISION_LABELS[d.decision if d else ""].get(L)]
            for c, v in enumerate(vals):
                it = QTableWidgetItem(v)
                it.setData(Qt.ItemDataRole.UserRole, p.package)
                if p.gate_failed:
                    it.setBackground(red)
                elif p.disagreement and c in (3, 8):
                    it.setBackground(amber)
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        if self.table.columnWidth(2) > 240:
            self.table.setColumnWidth(2, 240)

    def current_package(self) -> int | None:
        r = self.table.currentRow()
        it = self.table.item(r, 0) if r >= 0 else None
        return it.data(Qt.ItemDataRole.UserRole) if it is not None else None

    def select(self, pid: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == pid:
                self.table.selectRow(r)
                return True
        return False

    def _show_detail(self) -> None:
        from ...panel.decisions import history

        pid = self.current_package()
        if pid is None or self.results is None or self.desk.rv is None:
            self.detail.setHtml("")
            self._update_buttons()
            return
        p = self.results.by_package().get(pid)
        rec = self.recs.get(pid)
        if p is None or rec is None:
            return
        self.detail.setHtml(result_html(self.results, p, rec, self.decisions.get(pid), history(self.desk.rv, pid), lang()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        rv = self.desk.rv
        has = self.results is not None and bool(self.results.packages)
        sel = self.current_package() is not None
        ro = rv is None or rv.readonly
        for b in (self.rec_btn, self.not_btn):
            b.setEnabled(has and sel and not ro)
        for b in (self.summary_btn, self.report_btn):
            b.setEnabled(has)
        self.publicity_btn.setEnabled(has and any(d.decision == "recommended" for d in getattr(self, "decisions", {}).values()))

    # ------------------------------------------------------------------ decisions and outputs

    def decide(self, recommend: bool):
        from ...panel.decisions import decide
        from .dialogs import DecisionDialog

        pid = self.current_package()
        if pid is None or self.results is None:
            return None
        p = self.results.by_package()[pid]
        rec = self.recs[pid]
        if p.group == "ranked":
            suggestion = self.tr("Score {score}, rank {rank}.").format(score=_n(p.score), rank=p.rank_text)
        elif p.gate_failed:
            suggestion = self.tr("A gate is not met.")
        else:
            suggestion = ""
        dlg = DecisionDialog(rec.applicant, suggestion, recommend, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        decision, reason = dlg.values()
        try:
            d = decide(self.desk.rv, pid, decision, reason, actor=self.desk.rv.meta().get("reviewer", ""))
        except Exception as e:  # noqa: BLE001 - no reason: the core says so
            show_error(self, self.tr("Decision"), e)
            return None
        self.reload(keep_settings=True)
        self.select(pid)
        return d

    def _save_path(self, title: str, name: str, filters: str) -> str:
        safe = "".join(c for c in self.desk.rv.title if c not in '<>:"/\\|?*').strip() or "review"
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(Settings().last_folder()) / f"{safe}{name}"), filters)
        if path:
            Settings().set_last_folder(Path(path).parent)
        return path

    def export_summary(self):
        from ...panel.outputs import write_summary

        path = self._save_path(self.tr("Export the 推荐名单汇总表"), "_推荐名单汇总表.xlsx", self.tr("Excel workbooks (*.xlsx)"))
        return self._write(lambda: write_summary(self.desk.rv, path, results=self.results), path, self.tr("Export the 推荐名单汇总表"))

    def export_publicity(self):
        from ...panel.outputs import write_publicity

        path = self._save_path(self.tr("Export the 公示 list"), "_公示名单.xlsx",
                               self.tr("Excel workbooks (*.xlsx);;CSV, UTF-8 (*.csv)"))
        return self._write(lambda: write_publicity(self.desk.rv, path, results=self.results), path, self.tr("Export the 公示 list"))

    def export_report(self):
        from ...panel.report import write_report

        path = self._save_path(self.tr("Export the review report"), "_专家评审报告.pdf", self.tr("PDF documents (*.pdf)"))
        anon = self.anonymise.isChecked()
        return self._write(lambda: write_report(self.desk.rv, path, results=self.results, anonymise=anon), path,
                           self.tr("Export the review report"))

    def _write(self, fn, path: str, title: str):
        if not path:
            return None
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - read-only folder, full disk, nothing recommended: the core says why
            show_error(self, title, e)
            return None
        self.desk.statusBar().showMessage(self.tr("Written: {path}").format(path=out), 8000)
        return out

    # ------------------------------------------------------------------ language

    def retranslate(self) -> None:
        self.normalise.setText(self.tr("&Normalise per expert (z-scores)"))
        self.normalise.setToolTip(self.tr("Rescale each expert's totals to the panel's mean and spread, so lenient and harsh "
                                          "experts count alike"))
        self.th_label.setText(self.tr("&Disagreement at a range of"))
        self.threshold.setSuffix(self.tr(" × the scale"))
        self.gr_label.setText(self.tr("&Gate fails when"))
        self.gate_rule.setItemText(0, self.tr("any expert finds it not met"))
        self.gate_rule.setItemText(1, self.tr("a majority finds it not met"))
        self.table.setHorizontalHeaderLabels([self.tr("Rank"), self.tr("#"), self.tr("Applicant"), self.tr("Score"),
                                              self.tr("SD"), self.tr("Range"), self.tr("Experts"), self.tr("Gates"),
                                              self.tr("Split"), self.tr("Decision")])
        self.table.setAccessibleName(self.tr("Panel results"))
        self.rec_btn.setText(self.tr("&Recommend…"))
        self.not_btn.setText(self.tr("Not recommend…"))
        self.summary_btn.setText(self.tr("推荐名单汇总表 (&XLSX)…"))
        self.publicity_btn.setText(self.tr("公示 list…"))
        self.report_btn.setText(self.tr("Review &report (PDF)…"))
        self.anonymise.setText(self.tr("&Anonymise experts"))
        if self.desk.rv is not None and not self.stale:
            self.reload(keep_settings=True)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


class PanelActions(QObject):
    """The Panel menu of the desk."""

    def __init__(self, desk, tab: PanelTab):
        super().__init__(desk)
        self.desk = desk
        self.tab = tab

        def act(slot) -> QAction:
            a = QAction(desk)
            a.triggered.connect(slot)
            desk.addAction(a)
            return a

        self.a_rubric = act(self.rubric)
        self.a_assign = act(self.assign)
        self.a_merge = act(self.merge)
        self.a_round = act(self.new_round)
        self.a_results = act(self.show_results)
        self.a_summary = act(tab.export_summary)
        self.a_publicity = act(tab.export_publicity)
        self.a_report = act(tab.export_report)
        self.a_sheet = act(self.open_sheet)
        self.menu = desk.menuBar().addMenu("")
        for a in (self.a_results, None, self.a_rubric, self.a_assign, self.a_merge, self.a_round, None,
                  self.a_summary, self.a_publicity, self.a_report, None, self.a_sheet):
            self.menu.addSeparator() if a is None else self.menu.addAction(a)
        self.menu.aboutToShow.connect(self.update)
        desk.installEventFilter(self)
        self.retranslate()

    def update(self) -> None:
        rv = self.desk.rv
        has = rv is not None and not self.desk.busy
        rw = has and not rv.readonly
        for a in (self.a_rubric, self.a_results):
            a.setEnabled(has)
        for a in (self.a_assign, self.a_merge, self.a_round):
            a.setEnabled(rw)
        res = self.tab.results
        for a in (self.a_summary, self.a_report, self.a_publicity):
            a.setEnabled(has and res is not None and bool(res.packages))

    def show_results(self) -> None:
        self.desk.tabs.setCurrentWidget(self.tab)

    def rubric(self) -> None:
        from .dialogs import RubricDialog

        if self.desk.rv is None:
            return
        try:
            dlg = RubricDialog(self.desk.rv, self.desk)
        except Exception as e:  # noqa: BLE001 - mixed programs, no package yet: say what to do
            show_error(self.desk, self.tr("Panel rubric"), e)
            return
        dlg.exec()
        if dlg.changed:
            self.tab.invalidate()

    def assign(self):
        from ...panel.assign import assign
        from ...review import Review
        from ..worker import Job
        from .dialogs import AssignDialog

        desk = self.desk
        if desk.rv is None or desk.busy:
            return None
        dlg = AssignDialog(desk.rv, desk)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        expert, ids, out, files = dlg.values()
        path = desk.path

        def work(task, _proj):
            with Review.open(path) as rv:
                return assign(rv, expert, ids, out, task=task, with_files=files)

        job = Job(work)
        job.succeeded.connect(self._assigned)
        job.failed.connect(lambda e: show_error(desk, self.tr("Assign packages to an expert"), e))
        job.start(desk, self.tr("Writing the expert sheet…"))
        self._job = job
        return job

    def _assigned(self, res) -> None:
        Settings().set_last_folder(res.path.parent)
        self.tab.invalidate()
        message(self.desk, "info", self.tr("Assign packages to an expert"),
                self.tr("The expert sheet for {expert} ({n} packages) was written to {path}.").format(
                    expert=res.expert, n=len(res.packages), path=res.path),
                self.tr("Give it to the expert; the expert opens it in Dossier, scores, and sends back the score sheet "
                        "(.dscores) it writes. SHA-256 of the sheet: {sha}").format(sha=res.sha256))

    def merge(self) -> list:
        from ...panel.merge import merge

        desk = self.desk
        if desk.rv is None or desk.busy:
            return []
        files, _ = QFileDialog.getOpenFileNames(desk, self.tr("Merge score sheets"), Settings().last_folder(),
                                                self.tr("Score sheets (*.dscores);;All files (*)"))
        if not files:
            return []
        Settings().set_last_folder(Path(files[0]).parent)
        done, lines, warnings = [], [], []
        L = lang()
        for f in files:
            try:
                res = merge(desk.rv, f)
            except Exception as e:  # noqa: BLE001 - every refusal is reported, the others go in
                text = e.text(L) if hasattr(e, "text") else str(e)
                lines.append(f"✗ {Path(f).name}: {text}")
                continue
            done.append(res)
            lines.append("✓ " + self.tr("{file}: {expert}, {scored} scored, {recused} recused").format(
                file=Path(f).name, expert=res.expert, scored=res.scored, recused=res.recused))
            warnings += [zh if L == "zh" else en for en, zh in res.warnings]
        self.tab.invalidate()
        desk.reload()
        kind = "info" if len(done) == len(files) else "warning"
        message(desk, kind, self.tr("Merge score sheets"),
                self.tr("Merged: {ok} of {n}.").format(ok=len(done), n=len(files)), "\n".join(lines + warnings))
        return done

    def new_round(self) -> None:
        from ...panel.rounds import new_round
        from .dialogs import NewRoundDialog

        if self.desk.rv is None:
            return
        dlg = NewRoundDialog(self.desk)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            new_round(self.desk.rv, dlg.reason())
        except Exception as e:  # noqa: BLE001
            show_error(self.desk, self.tr("Start a new round"), e)
            return
        self.tab.invalidate()

    def open_sheet(self) -> None:
        from .sheet_window import open_sheet_dialog

        open_sheet_dialog(self.desk)

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("Pa&nel"))
        self.a_results.setText(self.tr("Panel &results"))
        self.a_rubric.setText(self.tr("&Rubric…"))
        self.a_assign.setText(self.tr("&Assign packages to an expert…"))
        self.a_merge.setText(self.tr("&Merge score sheets…"))
        self.a_round.setText(self.tr("Start a &new round…"))
        self.a_summary.setText(self.tr("Export the 推荐名单汇总表 (XLSX)…"))
        self.a_publicity.setText(self.tr("Export the 公示 list (XLSX/CSV)…"))
        self.a_report.setText(self.tr("Export the review &report (PDF)…"))
        self.a_sheet.setText(self.tr("Open an &expert sheet… (to score)"))
        tabs = self.desk.tabs
        tabs.setTabText(tabs.indexOf(self.tab), self.tr("P&anel"))

    def eventFilter(self, obj, ev):  # noqa: N802
        if obj is self.desk and ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


class PanelHook:
    """What the desk keeps: the tab, the menu; `invalidate()` when the review file changed."""

    def __init__(self, desk):
        self.tab = PanelTab(desk)
        desk.tabs.addTab(self.tab, "")
        self.actions = PanelActions(desk, self.tab)
        self._welcome_button(desk)

    def invalidate(self) -> None:
        self.tab.invalidate()

    def _welcome_button(self, desk) -> None:
        """"Open an expert sheet…" beside New / Open on the desk's welcome page (for experts)."""
        lay = desk.welcome.layout()
        for i in range(lay.count()):
            sub = lay.itemAt(i).layout()
            if sub is not None and sub.indexOf(desk.new_btn) >= 0:
                self.sheet_btn = QPushButton(desk.welcome)
                self.sheet_btn.clicked.connect(self.actions.open_sheet)
                sub.insertWidget(sub.indexOf(desk.open_btn) + 1, self.sheet_btn)
                self.sheet_btn.setText(QCoreApplication.translate("PanelActions", "Score as an e&xpert: open an expert sheet…"))
                desk.installEventFilter(_Retranslate(desk, self.sheet_btn))
                return


class _Retranslate(QObject):
    def __init__(self, desk, btn):
        super().__init__(desk)
        self.btn = btn

    def eventFilter(self, obj, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.btn.setText(QCoreApplication.translate("PanelActions", "Score as an e&xpert: open an expert sheet…"))
        return False


def install_panel(desk) -> PanelHook:
    return PanelHook(desk)
