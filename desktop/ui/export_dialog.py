"""Seal & export (issue #4's UI) and opening a submitted package to verify it.

ExportDialog: the problem list first; blocking problems stop the export unless the user explicitly
ticks "export a draft"; output folder; progress with Cancel through the worker helper; at the end
the files written, the content digest and "Open folder".
PackageDialog: verify a package (.zip) in the background and show the verdict.
Both call desktop.export (export_project / verify_package), which does all the work.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ..errors import DossierError
from .dialogs import show_error
from .i18n import lang
from .problems_panel import ProblemsPanel
from .settings import Settings
from .worker import Job


class ExportDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.job: Job | None = None
        self.result = None
        self.setMinimumSize(760, 560)
        lay = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.problems = ProblemsPanel(session, scope=None, parent=self)
        self.problems.problemActivated.connect(self._jump)
        self.draft = QCheckBox(self)
        self.draft.toggled.connect(lambda _on: self._update())
        form = QFormLayout()
        self.folder = QLineEdit(self)
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.folder_label = QLabel(self)
        self.folder_label.setBuddy(self.folder)
        form.addRow(self.folder_label, row)
        self.pdf_lang = QComboBox(self)
        self.pdf_lang.addItem("中文", "zh")
        self.pdf_lang.addItem("English", "en")
        self.pdf_lang.setCurrentIndex(0 if lang() == "zh" else 1)
        self.lang_label = QLabel(self)
        self.lang_label.setBuddy(self.pdf_lang)
        form.addRow(self.lang_label, self.pdf_lang)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.buttons = QDialogButtonBox(self)
        self.export_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_btn = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_btn.clicked.connect(self.start_export)
        self.open_folder_btn.clicked.connect(self.open_folder)
        self.open_folder_btn.hide()
        self.close_btn.clicked.connect(self.reject)
        self.export_btn.setDefault(True)
        self.heading = QLabel(self)
        self.heading.setObjectName("panelTitle")
        lay.addWidget(self.summary)
        lay.addWidget(self.heading)
        lay.addWidget(self.problems, 1)
        lay.addWidget(self.draft)
        lay.addLayout(form)
        lay.addWidget(self.outcome)
        lay.addWidget(self.buttons)
        st = Settings()
        last = st.q.value("export/folder")
        self.folder.setText(last if isinstance(last, str) and Path(last).is_dir() else str(session.path.parent))
        session.reportChanged.connect(self._update)
        self.retranslate()

    @property
    def blocking(self) -> int:
        return len(self.session.report.blocking)

    def _jump(self, iid: str, path: str) -> None:
        win = self.parent()
        if win is not None and hasattr(win, "go_to"):
            self.reject()
            win.go_to(iid, path)

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, self.tr("Output folder"), self.folder.text())
        if d:
            self.folder.setText(d)

    def _update(self) -> None:
        rep = self.session.report
        b, w = len(rep.blocking), len(rep.warnings)
        pct = int(rep.completeness * 100)
        if b:
            text = self.tr("The application is {pct}% complete. {b} blocking problems stop a final export; fix them "
                           "first (click one to go to it), or export a draft.").format(pct=pct, b=b)
        else:
            text = self.tr("The application is {pct}% complete and has no blocking problems ({w} warnings). It can be "
                           "sealed and exported.").format(pct=pct, w=w)
        self.summary.setText(text)
        self.draft.setVisible(bool(b))
        running = self.job is not None and self.job.running
        self.export_btn.setEnabled(not running and (not b or self.draft.isChecked()))

    def start_export(self) -> Job | None:
        from ..export import export_project

        out = Path(self.folder.text().strip())
        if not out.is_dir():
            show_error(self, self.tr("Seal & export"),
                       DossierError(f"Output folder {out} does not exist", f"输出文件夹 {out} 不存在", key="project.no_folder"))
            return None
        allow = bool(self.blocking) and self.draft.isChecked()
        if self.blocking and not allow:
            return None
        Settings().q.setValue("export/folder", str(out))
        self.session.flush()
        self.session.wait_idle()
        project_path = self.session.path
        pdf_lang = self.pdf_lang.currentData()

        def work(task, _proj):
            return export_project(project_path, out, allow_incomplete=allow, task=task, lang=pdf_lang)

        job = Job(work, status_text=self._status_text)
        job.succeeded.connect(self._done)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        job.finished.connect(lambda _o: self._finished())
        self.job = job
        self.session._track(job)  # the project is busy (export records its seal time)
        self.export_btn.setEnabled(False)
        job.start(self, self.tr("Sealing and exporting…"), show_after_ms=200)
        return job

    def _status_text(self, status: str) -> str:
        labels = {"answers": self.tr("Writing the answers…"), "pdf": self.tr("Making the submission PDF…"),
                  "package": self.tr("Packing the evidence into the data package…")}
        return labels.get(status, self.tr("Sealing and exporting…"))

    def _finished(self) -> None:
        self.session.project._meta_cache = None  # the export recorded its seal time
        self._update()

    def _done(self, res) -> None:
        self.result = res
        lines = [self.tr("Sealed and exported:") if not res.draft else self.tr("Draft exported (every page is marked DRAFT):"),
                 f"  {res.pdf_path}", f"  {res.zip_path}",
                 self.tr("Content digest: {digest}").format(digest=res.content_digest)]
        for en, zh in res.warnings[:5]:
            lines.append("⚠ " + (zh if lang() == "zh" else en))
        self.outcome.setText("\n".join(lines))
        self.outcome.show()
        self.open_folder_btn.show()
        self.open_folder_btn.setFocus()

    def _failed(self, err) -> None:
        show_error(self, self.tr("Seal & export"), err)

    def _cancelled(self) -> None:
        self.outcome.setText(self.tr("Cancelled: nothing was written."))
        self.outcome.show()

    def open_folder(self) -> None:
        folder = self.result.zip_path.parent if self.result else Path(self.folder.text())
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Seal & export"))
        self.heading.setText(self.tr("Problems"))
        self.draft.setText(self.tr("Export a &draft anyway (every PDF page is marked 草稿 / DRAFT; not for submission)"))
        self.folder_label.setText(self.tr("Output &folder:"))
        self.browse.setText(self.tr("&Browse…"))
        self.lang_label.setText(self.tr("&Language of the PDF:"))
        self.export_btn.setText(self.tr("&Seal && export"))
        self.open_folder_btn.setText(self.tr("&Open folder"))
        self._update()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


class PackageDialog(QDialog):
    """The verdict of `dossier verify` for a package, computed in the background."""

    def __init__(self, path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.verdict = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumSize(720, 480)
        lay = QVBoxLayout(self)
        self.status = QLabel(self)
        f = QFont(self.status.font())
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.status.setFont(f)
        self.status.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings = QTreeWidget(self)
        self.findings.setRootIsDecorated(False)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(160)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.status)
        lay.addWidget(self.details)
        lay.addWidget(self.findings, 1)
        lay.addWidget(self.text)
        lay.addWidget(self.buttons)
        self.retranslate()
        self.job = self.start()

    def start(self) -> Job:
        from ..export import verify_package

        path = self.path

        def work(_task, _proj):
            return verify_package(path)

        job = Job(work)
        job.succeeded.connect(self.show_verdict)
        job.failed.connect(lambda e: show_error(self, self.tr("Verify a package"), e))
        job.start(self, self.tr("Checking {name}…").format(name=path.name))
        return job

    def show_verdict(self, v) -> None:
        from ..export.verify import verdict_lines

        self.verdict = v
        colors = {"intact": "#1e8e3e", "tampered": "#b3261e", "unreadable": "#5f6368"}
        texts = {
            "intact": self.tr("Intact: the package is exactly as it was sealed."),
            "tampered": self.tr("Tampered: the package was changed after it was sealed."),
            "unreadable": self.tr("Unreadable: this is not a package Dossier can check."),
        }
        self.status.setText(texts.get(v.status, v.status))
        self.status.setStyleSheet(f"color: {colors.get(v.status, '#000')}")
        parts = []
        if v.program:
            title = v.program.get("title_zh") if lang() == "zh" else (v.program.get("title_en") or v.program.get("title_zh"))
            parts.append(self.tr("Program: {title} ({id} {version})").format(
                title=title or "", id=v.program.get("id", ""), version=v.program.get("version", "")))
        if v.applicant:
            parts.append(self.tr("Applicant: {name}").format(name=v.applicant))
        if v.sealed_at:
            parts.append(self.tr("Sealed at: {time}").format(time=v.sealed_at) + (" — " + self.tr("DRAFT") if v.draft else ""))
        if v.content_digest:
            parts.append(self.tr("Content digest: {digest}").format(digest=v.content_digest))
        sig = (v.signature or {}).get("status", "unsigned")
        parts.append(self.tr("Signature: {status}").format(status=sig))
        self.details.setText("\n".join(parts))
        self.findings.clear()
        for fnd in v.findings:
            it = QTreeWidgetItem([fnd.kind, fnd.path, fnd.renamed_to or fnd.detail])
            self.findings.addTopLevelItem(it)
        for c in v.checks:
            if not c.ok:
                self.findings.addTopLevelItem(QTreeWidgetItem([self.tr("check"), c.name, c.detail]))
        self.findings.setVisible(self.findings.topLevelItemCount() > 0)
        self.text.setPlainText("\n".join(verdict_lines(v, lang())))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Verify a package — {name}").format(name=self.path.name))
        self.findings.setHeaderLabels([self.tr("What"), self.tr("File"), self.tr("Detail")])
        self.findings.setAccessibleName(self.tr("Differences found"))
        if self.verdict is None:
            self.status.setText(self.tr("Checking…"))
        else:
            self.show_verdict(self.verdict)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
