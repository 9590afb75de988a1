"""Seal & export (issue #4's UI) and opening a submitted package to verify it.

ExportDialog: the problem list first; blocking problems stop the export unless the user explicitly
ticks "export a draft"; output folder; "Sign with institution identity" (issue #5: the sealer is
obtained on the UI thread, asking for the key's passphrase if needed, before the worker starts);
progress with Cancel through the worker helper; at the end the files written, the content digest,
the signer's fingerprint and "Open folder".
PackageDialog: verify a package (.zip) in the background and show the verdict, and who signed it:
given the trusted institution's fingerprint or certificate, one of signed by the trusted identity /
signed by an unknown identity (with its fingerprint) / unsigned / signature invalid.
Both call desktop.export (export_project / verify_package), which does all the work.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import DossierError
from .dialogs import message, open_with_system, show_error
from .i18n import lang
from .identity_dialog import FingerprintView, identity_link_html, obtain_sealer
from .problems_panel import ProblemsPanel
from .settings import Settings
from .sizing import fit_to_screen, keep_fitting
from .verdict_text import STATUS_COLORS, VerdictText, shown_status
from .worker import Job


class ExportDialog(QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.job: Job | None = None
        self.result = None
        lay = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.problems = ProblemsPanel(session, scope=None, parent=self)
        self.problems.problemActivated.connect(self._jump)
        self.draft = QCheckBox(self)
        self.draft.toggled.connect(lambda _on: self._update())
        form = QFormLayout()
        self.form = form  # the export options; other capabilities add their rows here (e.g. volumes, encryption)
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
        # -- signing (issue #5)
        self.identity = None  # desktop.identity.Identity of this computer, if any
        self.identity_problem = ""
        self.sealer_name = ""  # who signed the last export
        self.sign = QCheckBox(self)
        self.sign_note = QLabel(self)
        self.sign_note.setObjectName("hint")
        self.sign_note.setWordWrap(True)
        self.sign_note.setTextFormat(Qt.TextFormat.RichText)
        self.sign_note.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                               | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.sign_note.linkActivated.connect(lambda _link: self.open_identity())
        form.addRow("", self.sign)
        form.addRow("", self.sign_note)
        # -- transport (issue #12): volumes, recovery data, encryption, deltas (desktop/ui/transport)
        from .transport.options import TransportOptions

        self.transport = TransportOptions(session.path, self)
        # the outcome has its place from the start (room reserved for the files written and the
        # fingerprint), and every button exists from the start: nothing moves when an export ends,
        # so a second click lands where the first did
        self.result_box = QWidget(self)
        rl = QVBoxLayout(self.result_box)
        rl.setContentsMargins(0, 0, 0, 0)
        self.outcome = QLabel(self.result_box)
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.outcome.setObjectName("hint")
        self.signed_caption = QLabel(self.result_box)
        self.signed_caption.setWordWrap(True)
        self.signed_fp = FingerprintView(self.result_box)
        self.signed_caption.hide()
        self.signed_fp.hide()
        rl.addWidget(self.outcome)
        rl.addWidget(self.signed_caption)
        rl.addWidget(self.signed_fp)
        rl.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.export_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_folder_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_btn = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_btn.clicked.connect(self.start_export)
        self.open_folder_btn.clicked.connect(self.open_folder)
        self.open_folder_btn.setEnabled(False)  # until there is something to show
        self.close_btn.clicked.connect(self.reject)
        self.export_btn.setDefault(True)
        self.heading = QLabel(self)
        self.heading.setObjectName("panelTitle")
        lay.addWidget(self.summary)
        lay.addWidget(self.heading)
        lay.addWidget(self.problems, 1)
        lay.addWidget(self.draft)
        lay.addLayout(form)
        lay.addWidget(self.transport)
        lay.addWidget(self.result_box)
        lay.addWidget(self.buttons)
        st = Settings()
        last = st.q.value("export/folder")
        self.folder.setText(last if isinstance(last, str) and Path(last).is_dir() else str(session.path.parent))
        session.reportChanged.connect(self._update)
        self.refresh_identity()
        want = st.q.value("export/sign")
        self.sign.setChecked(self.identity is not None and str(want).lower() not in ("false", "0"))
        self.retranslate()
        lines = self.outcome.fontMetrics().lineSpacing()
        self.result_box.setMinimumHeight(lines * 5 + 8 + (self.signed_fp.sizeHint().height() + lines * 2
                                                          if self.identity is not None else 0))
        keep_fitting(self, 620)
        fit_to_screen(self, QSize(820, 680), margin=40, center=False)

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
            text = self.tr("The application is {pct}% complete.").format(pct=pct) + " " + self.tr(
                "%n blocking problem(s) stop a final export: fix them first (click one to go to it), or export a "
                "draft.", "", b)
        else:
            text = self.tr("The application is {pct}% complete and has no blocking problems.").format(pct=pct) + " " + \
                self.tr("%n warning(s).", "", w) + " " + self.tr("It can be sealed and exported.")
        self.summary.setText(text)
        self.draft.setVisible(bool(b))
        running = self.job is not None and self.job.running
        self.export_btn.setEnabled(not running and (not b or self.draft.isChecked()))

    def start_export(self) -> Job | None:
        from ..export import export_project

        allow = bool(self.blocking) and self.draft.isChecked()
        if self.blocking and not allow:
            return None
        if (self.job is not None and self.job.running) or getattr(self, "_obtaining", False):
            return None
        out = self._output_folder()
        if out is None or not self._may_replace(out, allow):
            return None
        try:  # transport (issue #12): checked before anything starts
            topts = self.transport.options()
        except DossierError as e:
            show_error(self, self.tr("Seal & export"), e)
            return None
        if not self.transport.check_fat32(out):
            return None
        if topts.get("encrypt_to"):
            from .transport.keys import obtain_own_recipient

            own = obtain_own_recipient(self)  # on the UI thread: may ask for the passphrase
            if own is None and self.identity is not None:
                return None
            topts["encrypt_to_self"] = own is not None
        sealer = None
        if self.sign.isChecked():
            # on the UI thread, before the worker: the passphrase prompt (if any) and every refusal of
            # the core (no identity, wrong passphrase, keyring locked…) are dealt with here
            self._obtaining = True
            try:
                sealer = obtain_sealer(self)
            finally:
                self._obtaining = False
            if sealer is None:
                return None
        self.sealer_name = sealer.name if sealer is not None else ""
        Settings().q.setValue("export/folder", str(out))
        if self.identity is not None:
            Settings().q.setValue("export/sign", self.sign.isChecked())
        self.session.flush()
        self.session.wait_idle()
        project_path = self.session.path
        pdf_lang = self.pdf_lang.currentData()

        def work(task, _proj):
            if topts:
                from ..transport import export_package

                return export_package(project_path, out, allow_incomplete=allow, sealer=sealer, task=task, lang=pdf_lang,
                                      **topts)
            return export_project(project_path, out, allow_incomplete=allow, sealer=sealer, task=task, lang=pdf_lang)

        job = Job(work, status_text=self._status_text)
        job.progress.connect(self._progress)
        job.succeeded.connect(self._done)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        job.finished.connect(lambda _o: self._finished())
        self.job = job
        self.session._track(job)  # the project is busy (export records its seal time)
        self.export_btn.setEnabled(False)
        job.start(self, self.tr("Sealing and exporting…"), show_after_ms=200)
        return job

    def _output_folder(self) -> Path | None:
        """The folder typed or chosen; a missing one is offered to be created (nothing is created
        without asking), a file or an empty field is refused with what to do."""
        text = self.folder.text().strip()
        title = self.tr("Seal & export")
        if not text:
            message(self, "warning", title, self.tr("Choose the folder to write the PDF and the data package to."))
            self.folder.setFocus()
            return None
        out = Path(text).expanduser()
        if out.is_dir():
            return out
        if out.exists():
            show_error(self, title, DossierError(f"{out} is a file, not a folder", f"{out} 是文件，不是文件夹",
                                                 key="project.no_folder"))
            return None
        answer = message(self, "question", title, self.tr("The folder {folder} does not exist yet.").format(folder=out),
                         self.tr("Create it and write the export there?"),
                         buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                         default=QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            show_error(self, title, DossierError(f"Cannot create the folder {out}: {e.strerror or e}",
                                                 f"无法创建文件夹 {out}：{e.strerror or e}", key="project.readonly_folder"))
            return None
        return out

    def _may_replace(self, out: Path, draft: bool) -> bool:
        """Ask before an export replaces files of the same name (an earlier export of this
        application, the same day or with the same seal time)."""
        existing = [p for p in self.expected_outputs(out, draft) if p.exists()]
        if not existing:
            return True
        answer = message(self, "question", self.tr("Seal & export"),
                         self.tr("The folder already has an export of this application with these names:") + "\n"
                         + "\n".join(f"  {p.name}" for p in existing),
                         self.tr("Replace them with the new export? (Cancel keeps them: choose another folder.)"),
                         buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                         default=QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def expected_outputs(self, out: Path, draft: bool) -> list[Path]:
        """The names the export would write: dated today, or — when nothing changed since the last
        seal, whose time is then reused — dated that day."""
        import datetime as _dt

        from ..export.naming import output_base_name

        dates = {_dt.date.today().strftime("%Y%m%d")}
        sealed = self.session.project.meta().get("sealed_at")
        if isinstance(sealed, str) and len(sealed) >= 10:
            dates.add(sealed[:10].replace("-", ""))
        prog = self.session.program
        out_paths = []
        for d in sorted(dates):
            base = output_base_name(prog.id, self.session.applicant, d, draft=draft)
            out_paths += [out / f"{base}.pdf", out / f"{base}.zip"]
        return out_paths

    STAGES = ("answers", "pdf", "package")

    def _status_text(self, status: str) -> str:
        labels = {"answers": self.tr("Writing the answers…"), "pdf": self.tr("Making the submission PDF…"),
                  "package": self.tr("Packing the evidence into the data package…")}
        if status not in labels:
            return self.tr("Sealing and exporting…")
        n = self.STAGES.index(status) + 1
        return self.tr("Step {n} of {total}: {what}").format(n=n, total=len(self.STAGES), what=labels[status])

    def _progress(self, _done: int, _total: int, status: str) -> None:
        """The PDF is laid out in one piece with no figure to report: the bar moves (busy) instead of
        sitting still at the same per cent; the other stages show their per cent."""
        dlg = self.job.dialog if self.job is not None else None
        if dlg is None:
            return
        busy = status == "pdf"
        if busy and dlg.maximum() != 0:
            dlg.setRange(0, 0)
        elif not busy and dlg.maximum() == 0:
            dlg.setRange(0, 1000)

    def _finished(self) -> None:
        self.session.project._meta_cache = None  # the export recorded its seal time
        if self.job is not None:
            self.job.fn = None  # let go of the sealer (and the private key it holds)
        self._update()

    def _done(self, res) -> None:
        if hasattr(res, "export"):  # desktop.transport.TransportResult (issue #12)
            self._done_transport(res)
            return
        self.result = res
        lines = [self.tr("Sealed and exported:") if not res.draft else self.tr("Draft exported (every page is marked DRAFT):"),
                 f"  {res.pdf_path}", f"  {res.zip_path}",
                 self.tr("Content digest: {digest}").format(digest=res.content_digest)]
        for en, zh in res.warnings[:5]:
            lines.append(self.tr("Warning: {text}").format(text=zh if lang() == "zh" else en))
        self.outcome.setText("\n".join(lines))
        self.outcome.setObjectName("")
        self._repolish(self.outcome)
        self._show_signed()
        self.open_folder_btn.setEnabled(True)
        self.open_folder_btn.setFocus()

    def _done_transport(self, res) -> None:
        import dataclasses

        first = res.packages[0] if res.packages else None
        self.result = dataclasses.replace(res.export, pdf_path=res.pdf_path or first, zip_path=first)
        self.transport_result = res
        ex = res.export
        lines = [self.tr("Sealed and exported:") if not ex.draft else self.tr("Draft exported (every page is marked DRAFT):")]
        lines += self.transport.summary_lines(res)
        lines.append(self.tr("Content digest: {digest}").format(digest=ex.content_digest))
        for en, zh in res.warnings[:5]:
            lines.append("⚠ " + (zh if lang() == "zh" else en))
        self.outcome.setText("\n".join(lines))
        self.outcome.show()
        self._show_signed()
        self.open_folder_btn.show()
        self.open_folder_btn.setFocus()

    def _failed(self, err) -> None:
        show_error(self, self.tr("Seal & export"), err)

    def _cancelled(self) -> None:
        self.outcome.setText(self.tr("Cancelled: nothing was written."))

    def _show_signed(self) -> None:
        res = self.result
        signed = bool(res is not None and getattr(res, "signed", False) and res.signer_fingerprint)
        self.signed_caption.setVisible(signed)
        self.signed_fp.setVisible(signed)
        if signed:
            self.signed_caption.setText(self.tr(
                "Signed with the institution identity {name}. Its fingerprint, which reviewers compare with the one "
                "you gave them:").format(name=self.sealer_name))
            self.signed_fp.set_fingerprint(res.signer_fingerprint)

    # ------------------------------------------------------------ signing (issue #5)

    def refresh_identity(self) -> None:
        """Whether exports can be signed here: the checkbox, and the note under it."""
        from ..identity import IdentityError, load_identity

        self.identity_problem = ""
        try:
            self.identity = load_identity()
        except IdentityError as e:
            self.identity, self.identity_problem = None, e.text(lang())
        except Exception as e:  # noqa: BLE001 - e.g. a broken identity folder: not signable, say why
            self.identity, self.identity_problem = None, str(e)
        has = self.identity is not None
        if not has:
            self.sign.setChecked(False)
        self.sign.setEnabled(has)
        self._sign_note()

    def _sign_note(self) -> None:
        import html

        ident = self.identity
        if ident is None:
            text = self.identity_problem or self.tr("There is no institution identity on this computer, so the "
                                                    "export cannot be signed.")
            link = self.tr("Set up the institution identity…")
        else:
            text = self.tr("Signs as {name}, fingerprint {fingerprint}.").format(
                name=ident.display_name, fingerprint=ident.display_fingerprint)
            if ident.storage == "file":
                text += " " + self.tr("You will be asked for the passphrase of the key.")
            link = self.tr("Institution identity…")
        self.sign_note.setText(html.escape(text) + " " + identity_link_html(link))
        self.sign.setToolTip("" if ident is not None else text)

    def open_identity(self) -> None:
        """Settings → Institution identity, from the export dialog; a new identity is used at once."""
        from .identity_dialog import IdentityDialog

        had = self.identity is not None
        dlg = IdentityDialog(self, applicant=self.session.applicant_names())
        dlg.exec()
        self.refresh_identity()
        if not had and self.identity is not None:
            self.sign.setChecked(True)
        self.sign.setFocus()

    def open_folder(self) -> None:
        folder = self.result.zip_path.parent if self.result else Path(self.folder.text())
        open_with_system(self, folder, folder=True)  # no file manager: says so, with the path

    @staticmethod
    def _repolish(w) -> None:
        w.style().unpolish(w)
        w.style().polish(w)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Seal & export"))
        self.heading.setText(self.tr("Problems"))
        self.draft.setText(self.tr("Export a &draft anyway (every PDF page is marked 草稿 / DRAFT; not for submission)"))
        self.folder_label.setText(self.tr("Output &folder:"))
        self.browse.setText(self.tr("&Browse…"))
        self.lang_label.setText(self.tr("&Language of the PDF:"))
        self.sign.setText(self.tr("Sign with institution &identity (the PDF and the data package)"))
        self.sign.setAccessibleName(self.tr("Sign with institution identity"))
        self.sign_note.setAccessibleName(self.tr("About signing"))
        self._sign_note()
        self._show_signed()
        self.export_btn.setText(self.tr("&Seal && export"))
        self.open_folder_btn.setText(self.tr("&Open folder"))
        if self.result is None and (self.job is None or not self.job.running):
            self.outcome.setText(self.tr("The submission PDF and the data package (.zip) will be written to the "
                                         "output folder; their names and the content digest will be shown here."))
        self._update()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)


SIGNATURE_COLORS = {"trusted": "#1e8e3e", "unknown_signer": "#9a5b00", "unsigned": "#5f6368", "invalid": "#b3261e",
                    "not_checked": "#5f6368"}


class PackageDialog(QDialog):
    """The verdict of `dossier verify` for a package, computed in the background; and who signed it,
    checked against the fingerprint (or certificate) of the institution the reviewer trusts."""

    def __init__(self, path, parent=None):
        super().__init__(parent)
        # one package, or what it travelled as (issue #12): several volumes, .age files, a delta
        self.paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
        self.path = self.paths[0]
        self.basis: list[Path] | None = None  # for a delta: the earlier package
        self.verdict = None
        self.trust_fingerprint: str | None = None  # 64 hex digits, as given by the reviewer
        self.cert_source = ""  # the certificate file the fingerprint was taken from
        self.signature_status: str | None = None  # of the data package, once checked
        self.pdf_signature_status: str | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
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

        # -- who signed it (issue #5)
        self.trust_box = QGroupBox(self)
        tl = QVBoxLayout(self.trust_box)
        self.sig_package = QLabel(self.trust_box)
        self.sig_pdf = QLabel(self.trust_box)
        for lab in (self.sig_package, self.sig_pdf):
            lab.setWordWrap(True)
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signer_fp = FingerprintView(self.trust_box)
        self.signer_fp.hide()
        self.trust_hint = QLabel(self.trust_box)
        self.trust_hint.setObjectName("hint")
        self.trust_hint.setWordWrap(True)
        trow = QHBoxLayout()
        self.trust_label = QLabel(self.trust_box)
        self.trust_edit = QLineEdit(self.trust_box)
        self.trust_edit.textEdited.connect(self._trust_edited)
        self.trust_label.setBuddy(self.trust_edit)
        self.cert_btn = QPushButton(self.trust_box)
        self.cert_btn.clicked.connect(self.choose_certificate)
        self.check_btn = QPushButton(self.trust_box)
        self.check_btn.clicked.connect(self.check_trust)
        self.check_btn.setDefault(True)  # Enter in the fingerprint field checks again
        trow.addWidget(self.trust_label)
        trow.addWidget(self.trust_edit, 1)
        trow.addWidget(self.cert_btn)
        trow.addWidget(self.check_btn)
        self.cert_note = QLabel(self.trust_box)
        self.cert_note.setObjectName("hint")
        self.cert_note.hide()
        tl.addWidget(self.sig_package)
        tl.addWidget(self.sig_pdf)
        tl.addWidget(self.signer_fp)
        tl.addWidget(self.trust_hint)
        tl.addLayout(trow)
        tl.addWidget(self.cert_note)

        self.vt = VerdictText(self)
        self.shown_status = ""
        self.findings = QTreeWidget(self)
        self.findings.setRootIsDecorated(False)
        self.findings.setUniformRowHeights(True)
        self.findings.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the file's own name in view
        self.findings.header().setStretchLastSection(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(160)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.basis_btn = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.basis_btn.clicked.connect(self.choose_basis)
        self.basis_btn.hide()
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        lay.addWidget(self.status)
        lay.addWidget(self.details)
        lay.addWidget(self.trust_box)
        lay.addWidget(self.findings, 1)
        lay.addWidget(self.text)
        lay.addWidget(self.buttons)
        keep_fitting(self, 680)
        fit_to_screen(self, QSize(960, 720), margin=40, center=False)
        self.retranslate()
        self.job = self.start()

    def start(self) -> Job:
        from ..transport import verify_paths

        path = self.path
        paths, basis = list(self.paths), self.basis
        trust_fp = self.trust_fingerprint
        ids = None
        if any(p.name.endswith(".age") for p in paths + (basis or [])):
            from .transport.keys import obtain_age_identities

            ids = obtain_age_identities(self) or None  # on the UI thread (a passphrase may be asked)

        def work(_task, _proj):
            return verify_paths(paths, basis=basis, trust_fingerprint=trust_fp, identity=ids)

        job = Job(work)
        job.succeeded.connect(self.show_verdict)
        job.failed.connect(lambda e: show_error(self, self.tr("Verify a package"), e))
        job.finished.connect(self._job_finished)
        self.check_btn.setEnabled(False)
        job.start(self, self.tr("Checking {name}…").format(name=path.name))
        return job

    def _job_finished(self, _outcome: str) -> None:
        self.check_btn.setEnabled(True)
        v = self.verdict
        self.basis_btn.setVisible(v is not None and getattr(v, "error_key", "") in ("transport.basis_missing",
                                                                                  "transport.wrong_basis"))

    def choose_basis(self) -> Job | None:
        """A resubmission delta needs the package it was made against (issue #12)."""
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("The earlier package this delta is based on"),
                                                str(self.path.parent), self.tr("Dossier packages (*.zip *.age);;All files (*)"))
        if not paths or (self.job is not None and self.job.running):
            return None
        self.basis = [Path(p) for p in paths]
        self.job = self.start()
        return self.job

    # ------------------------------------------------------------ trust

    def _trust_edited(self, _text: str) -> None:
        self.cert_source = ""
        self.cert_note.hide()

    def check_trust(self) -> Job | None:
        """Verify again against the fingerprint in the field (empty: no trusted identity)."""
        from ..identity.model import IdentityError, normalize_fingerprint

        if self.job is not None and self.job.running:
            return None
        text = self.trust_edit.text().strip()
        try:
            fp = normalize_fingerprint(text) if text else None
        except IdentityError as e:
            show_error(self, self.tr("Verify a package"), e)
            self.trust_edit.setFocus()
            return None
        self.trust_fingerprint = fp
        self.job = self.start()
        return self.job

    def choose_certificate(self) -> Job | None:
        """Trust the identity of a certificate file (the institution's, sent to the reviewer):
        its SHA-256 fingerprint goes into the field, and the package is checked again."""
        from ..identity import keys
        from ..identity.model import format_fingerprint

        title = self.tr("Choose the institution's certificate")
        path, _ = QFileDialog.getOpenFileName(self, title, Settings().last_folder(),
                                              self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"))
        if not path:
            return None
        try:
            data = Path(path).read_bytes()
            fp = keys.fingerprint(keys.load_certificate(data))
        except OSError as e:
            show_error(self, title, DossierError(f"Cannot read {path}: {e.strerror or e}", f"无法读取 {path}：{e.strerror or e}",
                                                 key="identity.read_failed"))
            return None
        except DossierError as e:
            show_error(self, title, e)
            return None
        self.trust_edit.setText(format_fingerprint(fp))
        self.cert_source = Path(path).name
        self.cert_note.setText(self.tr("Fingerprint of the certificate {file}").format(file=self.cert_source))
        self.cert_note.show()
        return self.check_trust()

    def signature_text(self, res: dict | None) -> str:
        """One of the four statuses (and "not checked"), in the UI language."""
        res = res or {"status": "unsigned"}
        st = res.get("status")
        signer = res.get("signer") or "?"
        fp = res.get("display_fingerprint") or ""
        if st == "trusted":
            return self.tr("Signed by the trusted identity: {signer}.").format(signer=signer)
        if st in ("unknown_signer", "valid"):
            return self.tr("Signed by an unknown identity: {signer}, fingerprint {fingerprint}. Compare this "
                           "fingerprint with the one the institution gave you.").format(signer=signer, fingerprint=fp)
        if st == "unsigned":
            return self.tr("Not signed.")
        if st == "invalid":
            msg = res.get("message") or {}
            reason = msg.get("zh") if lang() == "zh" else msg.get("en")
            if reason:  # the core's message starts with "signature invalid: " / "签章无效："
                for sep in ("：", ": "):
                    if sep in reason:
                        reason = reason.split(sep, 1)[1]
                        break
            else:
                reason = res.get("reason") or ""
            return self.tr("Signature invalid: {reason}").format(reason=reason)
        return self.tr("The signature was not checked: {reason}").format(reason=res.get("reason") or st)

    def show_verdict(self, v) -> None:
        """One headline and one colour for the verdict's status; the details below it, every line in
        the UI language; the files that differ in a list wide enough to see which file it was."""
        self.verdict = v
        vt = self.vt
        status = shown_status(v)
        self.shown_status = status
        self.status.setText(vt.headline(status))
        self.status.setStyleSheet(f"color: {STATUS_COLORS.get(status, '#000')}")
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
        self.details.setText("\n".join(parts))
        self._show_signatures(v)
        self.findings.clear()
        rows = [(vt.kind(f.kind), f.path, f"{f.path} → {f.renamed_to}" if f.renamed_to else f.path,
                 vt.detail(f.detail) if f.kind != "renamed" else (f.renamed_to or "")) for f in v.findings]
        rows += [(vt.kind("check"), vt.check_name(c.name), c.name, vt.detail(c.detail)) for c in v.checks if not c.ok]
        for kind, shown, full, detail in rows:
            it = QTreeWidgetItem([kind, shown, detail])
            it.setToolTip(1, full)
            it.setToolTip(2, detail)
            it.setData(1, Qt.ItemDataRole.AccessibleTextRole, full)
            self.findings.addTopLevelItem(it)
        self.findings.setVisible(self.findings.topLevelItemCount() > 0)
        self._size_columns()
        self.text.setPlainText("\n".join(vt.log_lines(v, lang())))

    def _size_columns(self) -> None:
        """"What" fits its words; "File" gets the width of its longest path (elided in the middle,
        so the file's own name stays visible, with the full path as tooltip), up to 60 % of the list."""
        tree = self.findings
        fm = tree.fontMetrics()
        n = tree.topLevelItemCount()
        what = max([fm.horizontalAdvance(tree.headerItem().text(0))]
                   + [fm.horizontalAdvance(tree.topLevelItem(i).text(0)) for i in range(n)]) + 24
        path = max([fm.horizontalAdvance(tree.headerItem().text(1))]
                   + [fm.horizontalAdvance(tree.topLevelItem(i).text(1)) for i in range(n)]) + 24
        width = max(tree.viewport().width(), 600)
        tree.setColumnWidth(0, min(what, width // 5))
        tree.setColumnWidth(1, max(160, min(path, int(width * 0.6))))

    def _show_signatures(self, v) -> None:
        unreadable = v.status == "unreadable"
        self.trust_box.setVisible(not unreadable or self.trust_fingerprint is not None)
        pkg, pdf = v.signature or {"status": "unsigned"}, v.pdf_signature or {"status": "unsigned"}
        self.signature_status = pkg.get("status")
        self.pdf_signature_status = pdf.get("status")
        self.sig_package.setText(self.tr("Data package: {status}").format(status=self.signature_text(pkg)))
        self.sig_package.setStyleSheet(f"color: {SIGNATURE_COLORS.get(pkg.get('status'), '#000')}")
        both_unsigned = pkg.get("status") == "unsigned" and pdf.get("status") == "unsigned"
        self.sig_pdf.setVisible(not both_unsigned)
        self.sig_pdf.setText(self.tr("Submission PDF: {status}").format(status=self.signature_text(pdf)))
        self.sig_pdf.setStyleSheet(f"color: {SIGNATURE_COLORS.get(pdf.get('status'), '#000')}")
        shown = next((r for r in (pkg, pdf) if r.get("fingerprint") and r.get("status") != "invalid"), None)
        self.signer_fp.setVisible(shown is not None)
        if shown is not None:
            self.signer_fp.set_fingerprint(shown["fingerprint"])
        if both_unsigned:
            self.trust_hint.setText(self.tr("Without a signature, the package does not say who made it."))
        elif self.trust_fingerprint is None:
            self.trust_hint.setText(self.tr(
                "To check who signed it, enter the fingerprint the institution gave you (by phone or in an official "
                "letter), or choose its certificate file, then check again."))
        else:
            self.trust_hint.setText(self.tr("Checked against the trusted fingerprint {fingerprint}.").format(
                fingerprint=self._display(self.trust_fingerprint)))

    @staticmethod
    def _display(fp: str) -> str:
        from ..identity.model import format_fingerprint

        return format_fingerprint(fp)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Verify a package — {name}").format(name=self.path.name))
        self.findings.setHeaderLabels([self.tr("What"), self.tr("File"), self.tr("Detail")])
        self.findings.setAccessibleName(self.tr("Differences found"))
        self.trust_box.setTitle(self.tr("Who signed it"))
        self.trust_label.setText(self.tr("Trusted &fingerprint:"))
        self.trust_edit.setPlaceholderText(self.tr("e.g. 9F85 25EB 5473 … (64 hex digits, spaces optional)"))
        self.trust_edit.setAccessibleName(self.tr("Fingerprint of the trusted institution"))
        self.cert_btn.setText(self.tr("&Certificate file…"))
        self.cert_btn.setToolTip(self.tr("Trust the institution whose certificate file (.pem) you received"))
        self.check_btn.setText(self.tr("Check &again"))
        self.basis_btn.setText(self.tr("Earlier &package…"))
        self.sig_package.setAccessibleName(self.tr("Signature of the data package"))
        self.sig_pdf.setAccessibleName(self.tr("Signature of the submission PDF"))
        if self.cert_source:
            self.cert_note.setText(self.tr("Fingerprint of the certificate {file}").format(file=self.cert_source))
        if self.verdict is None:
            self.status.setText(self.tr("Checking…"))
            self.sig_package.setText("")
            self.sig_pdf.setText("")
            self.trust_hint.setText("")
        else:
            self.show_verdict(self.verdict)

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)
