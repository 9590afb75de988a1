"""The printable key card: an institution's age encryption key, its QR code and fingerprint.

A reviewing office publishes its card with the call for applications; an applicant gives it to
`dossier export … --encrypt-to-card CARD.pdf` (or picks it in the export dialog) and the package
is encrypted to that key. The card is one A4 page (ReportLab) with the key `age1…` in large
monospaced type, a QR code of the key, its fingerprint (SHA-256 of the key text, 16 groups of
four, to read aloud on the phone), the institution's names and its signing fingerprint. The key
is also in the PDF's document information (`/DossierAgeRecipient`, `/DossierAgeFingerprint`,
`/DossierKeyCard 1`), which is what `read_key_card` reads — after checking the file is a small
regular PDF and that the fingerprint matches the key.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from ..fsutil import atomic_write_bytes
from .agekey import parse_recipient, recipient_fingerprint
from .model import IdentityError

MAX_CARD = 20 << 20
CARD_VERSION = "1"


def render_key_card(recipient_text: str, *, name_zh: str = "", name_en: str = "", signing_fingerprint: str = "",
                    contact: str = "") -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from ..fonts import CJK_FONT, register_fonts

    r = parse_recipient(recipient_text)
    fp = recipient_fingerprint(r)
    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("加密公钥卡 Encryption key card")
    c.setSubject(r)
    c.setCreator("Dossier")
    w, h = A4
    y = h - 30 * mm
    c.setFont(CJK_FONT, 20)
    c.drawString(25 * mm, y, "加密公钥卡  Encryption key card")
    y -= 12 * mm
    c.setFont(CJK_FONT, 13)
    for line in (name_zh, name_en):
        if line:
            c.drawString(25 * mm, y, line)
            y -= 7 * mm
    if contact:
        c.setFont(CJK_FONT, 10)
        c.drawString(25 * mm, y, f"联系 Contact: {contact}")
        y -= 7 * mm
    y -= 4 * mm
    c.setFont(CJK_FONT, 10)
    c.drawString(25 * mm, y, "请用此公钥加密提交给本单位的数据包（age X25519）。Encrypt packages for us to this key (age X25519):")
    y -= 10 * mm
    c.setFont("Courier-Bold", 12.5)
    c.drawString(25 * mm, y, r[:31])
    c.drawString(25 * mm, y - 6 * mm, r[31:])
    y -= 14 * mm
    size = 70 * mm
    qr = QrCodeWidget(r, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(qr)
    renderPDF.draw(d, c, 25 * mm, y - size)
    y -= size + 10 * mm
    c.setFont(CJK_FONT, 10)
    c.drawString(25 * mm, y, "公钥指纹（电话核对时朗读）Key fingerprint (read it aloud to confirm):")
    c.setFont("Courier", 10.5)
    c.drawString(25 * mm, y - 6 * mm, fp[:39])
    c.drawString(25 * mm, y - 11 * mm, fp[40:])
    y -= 20 * mm
    if signing_fingerprint:
        c.setFont(CJK_FONT, 10)
        c.drawString(25 * mm, y, "签章证书指纹 Signing certificate fingerprint:")
        c.setFont("Courier", 10.5)
        c.drawString(25 * mm, y - 6 * mm, signing_fingerprint[:39])
        c.drawString(25 * mm, y - 11 * mm, signing_fingerprint[40:])
        y -= 20 * mm
    c.setFont(CJK_FONT, 9)
    c.drawString(25 * mm, 20 * mm, "dossier export 项目 --out 文件夹 --encrypt-to-card 本卡.pdf    ·    "
                 "age -r <key> -o package.zip.age package.zip")
    c.showPage()
    c.save()
    import pikepdf

    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        pdf.docinfo["/DossierKeyCard"] = CARD_VERSION
        pdf.docinfo["/DossierAgeRecipient"] = r
        pdf.docinfo["/DossierAgeFingerprint"] = fp
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def write_key_card(path: str | os.PathLike, passphrase: str | None = None) -> Path:
    """The key card of this computer's identity (its age key is made first if needed)."""
    from . import store
    from .agekey import ensure_age_key

    ident = store.require_identity()
    r = ensure_age_key(passphrase)
    data = render_key_card(r, name_zh=ident.name_zh, name_en=ident.name_en, signing_fingerprint=ident.display_fingerprint,
                           contact=ident.contact)
    p = Path(path)
    try:
        atomic_write_bytes(p, data)
    except OSError as e:
        raise IdentityError(f"Cannot write {p}: {e.strerror}", f"无法写入 {p}：{e.strerror}", key="identity.write_failed") from None
    return p


def read_key_card(path: str | os.PathLike) -> str:
    """The age recipient a key card carries (IdentityError if the file is not a Dossier key card)."""
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise IdentityError(f"Cannot read the key card {p}: {e.strerror}", f"无法读取公钥卡 {p}：{e.strerror}",
                            key="identity.bad_key_card") from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CARD:
        raise IdentityError(f"{p} is not a key card (not a regular file of at most {MAX_CARD >> 20} MB)",
                            f"{p} 不是公钥卡（不是不超过 {MAX_CARD >> 20} MB 的普通文件）", key="identity.bad_key_card")
    try:
        import pikepdf

        with pikepdf.open(p) as pdf:
            info = pdf.docinfo
            kind = str(info.get("/DossierKeyCard", ""))
            rec = str(info.get("/DossierAgeRecipient", ""))
            fp = str(info.get("/DossierAgeFingerprint", ""))
    except Exception:  # noqa: BLE001 - untrusted bytes
        raise IdentityError(f"{p.name} is not a readable PDF key card", f"{p.name} 不是可读取的 PDF 公钥卡",
                            key="identity.bad_key_card") from None
    if not kind:
        raise IdentityError(f"{p.name} is not a Dossier key card (it names no encryption key)",
                            f"{p.name} 不是 Dossier 公钥卡（其中没有加密公钥）", key="identity.bad_key_card")
    if kind != CARD_VERSION:
        raise IdentityError(f"{p.name} is a key card of a newer Dossier (version {kind}); update Dossier",
                            f"{p.name} 是新版 Dossier 的公钥卡（版本 {kind}），请升级 Dossier", key="identity.bad_key_card")
    r = parse_recipient(rec)
    if fp != recipient_fingerprint(r):
        raise IdentityError(f"{p.name}: the key and the fingerprint on the card do not match (altered?)",
                            f"{p.name}：公钥与卡上的指纹不一致（可能被改动）", key="identity.bad_key_card")
    return r
