"""Previews of evidence files: images, PDFs and text — small under the evidence list, large in
the preview window (desktop.ui.preview_dialog, double-click or Enter on a file).

PDF pages are rendered with QtPdf when it is importable (it ships in the PySide6-Addons wheel,
not in PySide6-Essentials, which is what Dossier depends on). Without it the preview uses pikepdf
(already a dependency): the page count and the largest image on the first page — which for the
usual evidence, a scanned document, IS the first page. "Open" always shows the real file in the
system viewer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..project import Evidence
from .fonts import visible

MAX_PREVIEW_BYTES = 40 * 1024 * 1024

try:  # optional: PySide6-Addons
    from PySide6.QtPdf import QPdfDocument  # type: ignore

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the wheel installed
    QPdfDocument = None
    HAVE_QTPDF = False


def pdf_backend() -> str:
    return "qtpdf" if HAVE_QTPDF else "pikepdf"


def _read_all(session, ev: Evidence) -> bytes:
    return b"".join(session.project.read_chunks(ev.blob_id))


def pdf_first_page(data: bytes, width: int) -> tuple[QImage | None, int]:
    """(image of the first page or its main picture, page count)."""
    if HAVE_QTPDF:
        doc = QPdfDocument()
        buf = QBuffer()
        buf.setData(QByteArray(data))
        buf.open(QBuffer.OpenModeFlag.ReadOnly)
        doc.load(buf)
        n = doc.pageCount()
        if n > 0:
            size = doc.pagePointSize(0)
            h = int(width * size.height() / max(size.width(), 1))
            return doc.render(0, QSize(width, h)), n
        return None, 0
    import pikepdf
    from pikepdf import PdfImage

    with pikepdf.open(io.BytesIO(data)) as pdf:
        n = len(pdf.pages)
        if not n:
            return None, 0
        best = None
        best_area = 0
        page = pdf.pages[0]
        images = page.get_images() if hasattr(page, "get_images") else page.images
        for _name, raw in images.items():
            try:
                w, h = int(raw.get("/Width", 0)), int(raw.get("/Height", 0))
            except (TypeError, ValueError):
                continue
            if w * h > best_area:
                best, best_area = raw, w * h
        if best is None:
            return None, n
        try:
            pil = PdfImage(best).as_pil_image()
        except Exception:  # noqa: BLE001 - an unusual encoding: no picture, still the page count
            return None, n
        out = io.BytesIO()
        pil.convert("RGB").save(out, "PNG")
        img = QImage.fromData(out.getvalue())
        return (img if not img.isNull() else None), n


TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-yaml", "application/yaml")
MAX_TEXT_CHARS = 200_000


@dataclass
class Preview:
    """What can be shown of one evidence file: a picture (image, a PDF's first page or its scan),
    text, or the reason there is none; `facts` are the lines under it (name, size, type, pages…)."""

    image: QImage | None = None
    text: str | None = None
    reason: str = ""
    pages: int = 0
    facts: list[str] = field(default_factory=list)


class PreviewLoader(QObject):
    def load(self, session, ev: Evidence, width: int = 800) -> Preview:
        """Read and decode an evidence file for showing it (on the UI thread: capped at MAX_PREVIEW_BYTES)."""
        pv = Preview(facts=[visible(ev.name), _size(ev.size), ev.mime, f"SHA-256 {ev.sha256[:16]}…"])
        if session.busy:
            pv.reason = self.tr("Preview available when the current task has finished")
        elif ev.size > MAX_PREVIEW_BYTES:
            pv.reason = self.tr("Too large to preview: use Open")
        elif ev.mime.startswith("image/"):
            img = QImage.fromData(_read_all(session, ev))
            if img.isNull():
                pv.reason = self.tr("This image cannot be shown here: use Open")
            else:
                pv.facts.append(f"{img.width()}×{img.height()}")
                pv.image = img
        elif ev.mime == "application/pdf":
            try:
                img, n = pdf_first_page(_read_all(session, ev), width)
            except Exception:  # noqa: BLE001 - a damaged PDF is still evidence; just no preview
                img, n = None, 0
            pv.pages = n
            pv.facts.append(self.tr("%n page(s)", "", n) if n else "PDF")
            if img is not None:
                pv.image = img
            else:
                pv.reason = self.tr("No preview of this PDF: use Open to read it")
        elif ev.mime.startswith(TEXT_TYPES) and ev.size:
            pv.text = _read_all(session, ev).decode("utf-8", errors="replace")[:MAX_TEXT_CHARS]
        else:
            pv.reason = self.tr("No preview for this type of file: use Open")
        return pv


def load_preview(session, ev: Evidence, width: int = 800) -> Preview:
    return PreviewLoader().load(session, ev, width)


class EvidencePreview(QWidget):
    """The small preview under the evidence list (the selected file); double-click opens the large one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setMinimumHeight(48)  # small windows (1366×768 at 150 %): the divider gives it more
        self.image.setObjectName("preview")
        self.image.setWordWrap(True)
        self.info = QLabel(self)
        self.info.setObjectName("hint")
        self.info.setWordWrap(True)
        lay.addWidget(self.image, 1)
        lay.addWidget(self.info)
        self._pix: QPixmap | None = None
        self._ev: Evidence | None = None
        self.clear()

    @property
    def evidence_id(self) -> int | None:
        return self._ev.id if self._ev is not None else None

    def clear(self) -> None:
        self._pix = None
        self._ev = None
        self.image.clear()
        self.image.setText(self.tr("Select a file to preview it"))
        self.info.clear()
        self.info.setToolTip("")

    def show_evidence(self, session, ev: Evidence) -> None:
        self._ev = ev
        self._pix = None
        self.image.clear()
        pv = load_preview(session, ev, 800)
        if pv.image is not None:
            self._pix = QPixmap.fromImage(pv.image)
        elif pv.text is not None:
            self.image.setText(pv.text[:600])
        else:
            self.image.setText(pv.reason)
        self.info.setText(" · ".join(pv.facts))
        self.info.setToolTip(f"{ev.name}\nSHA-256 {ev.sha256}")
        self._fit()

    def _fit(self) -> None:
        if self._pix is not None:
            self.image.setPixmap(self._pix.scaled(self.image.size() - QSize(4, 4), Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, ev):  # noqa: N802
        super().resizeEvent(ev)
        self._fit()

    def changeEvent(self, ev):  # noqa: N802
        if ev.type() == QEvent.Type.LanguageChange and self._ev is None:
            self.clear()
        super().changeEvent(ev)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)
