"""The sealer the export calls (issue #4 ↔ #5 contract).

    sealer = desktop.identity.get_sealer(passphrase=None)   # or IdentityError (a DossierError)
    sealer.fingerprint            # SHA-256 of the certificate, 64 lower-case hex digits
    sealer.display_fingerprint    # '3F2A 9C01 …' (16 groups of four)
    sealer.name                   # the institution's name (Chinese, else English)
    sealer.sign_pdf(src, dst, page_index=i, box=(x1, y1, x2, y2))
    sealer.sign_bytes(tagmanifest_bytes) -> {"signature.p7s": DER, "signer-cert.pem": PEM}

sign_pdf: a PAdES baseline B-B signature (pyHanko, /SubFilter /ETSI.CAdES.detached, SHA-256,
ECDSA P-256) as an incremental update over the bytes of `src`, written to `dst`, with a visible
seal in `box` on page `page_index`: signer, signing time and fingerprint, in WenQuanYi Micro Hei
embedded as a subset. Nothing may re-save `dst` afterwards.

sign_bytes: a CMS (PKCS #7) detached SignedData over `data`, SHA-256 with ECDSA, the signer's
certificate embedded, signed attributes content-type, message-digest and signing-time.

Passphrase storage: get_sealer(None) takes DOSSIER_KEY_PASSPHRASE, then DOSSIER_PASSPHRASE, then
the prompt registered with set_passphrase_prompt (the CLI registers a getpass prompt; the UI
passes the passphrase it asked for), else raises PassphraseRequired (key
"identity.passphrase_required").
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import io
import os
import threading
from pathlib import Path
from typing import Callable

from ..fsutil import private_temp_dir
from ..paths import resources_dir
from . import _hooks, keys, store
from ._logs import quiet
from .model import Identity, IdentityError, format_fingerprint

FIELD_NAME = "DossierSeal"
SEAL_RED = (0.71, 0.14, 0.09)
STAMP_FONT = "WenQuanYiMicroHei.ttf"


def set_passphrase_prompt(fn: Callable[[Identity], str | None] | None) -> None:
    """Register how get_sealer asks for a passphrase when none was given (CLI: getpass on a TTY)."""
    _hooks.passphrase_prompt = fn


def get_sealer(passphrase: str | None = None) -> "Sealer":
    """The sealer for this computer's identity; IdentityError (DossierError) when there is no
    identity, the passphrase is wrong or missing, the keyring is unavailable, or the certificate
    has expired."""
    ident = store.require_identity()
    if ident.storage == "file" and passphrase is None:
        passphrase = os.environ.get("DOSSIER_KEY_PASSPHRASE") or os.environ.get("DOSSIER_PASSPHRASE") or None
        if passphrase is None and _hooks.passphrase_prompt is not None:
            passphrase = _hooks.passphrase_prompt(ident)
    key = store.load_private_key(ident, passphrase)
    cert = keys.load_certificate(ident.certificate)
    now = _dt.datetime.now(_dt.timezone.utc)
    if now > cert.not_valid_after_utc:
        raise IdentityError(
            f"The institution identity's certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}; create a new identity",
            f"单位身份证书已于 {cert.not_valid_after_utc:%Y-%m-%d} 过期；请新建单位身份", key="identity.expired")
    if now < cert.not_valid_before_utc:
        raise IdentityError("The computer's clock is earlier than the certificate's start date; check the date and time",
                            "电脑时间早于证书生效时间；请检查日期和时间", key="identity.clock")
    return Sealer(ident, key, cert)


class Sealer:
    """Holds the private key in memory for one export. Never printed, never written."""

    def __init__(self, identity: Identity, key, cert):
        self.identity = identity
        self._key = key
        self._cert = cert
        self.fingerprint: str = identity.fingerprint
        self.display_fingerprint: str = format_fingerprint(identity.fingerprint)
        self.name: str = identity.name
        self.certificate_pem: bytes = identity.certificate

    def __repr__(self) -> str:
        return f"<Sealer {self.name!r} {self.display_fingerprint}>"

    # ------------------------------------------------------------------------------ bytes (CMS)

    def sign_bytes(self, data: bytes) -> dict[str, bytes]:
        """Tag files for the bag: a detached CMS signature over `data` and the signer's certificate."""
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.serialization import pkcs7

        sig = (pkcs7.PKCS7SignatureBuilder()
               .set_data(bytes(data))
               .add_signer(self._cert, self._key, hashes.SHA256())
               .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary,
                                                  pkcs7.PKCS7Options.NoCapabilities]))
        files = {"signature.p7s": sig, "signer-cert.pem": self.certificate_pem}
        from .verify import check_package_signature

        res = check_package_signature(bytes(data), files, trust_fingerprint=self.fingerprint)
        if res["status"] != "trusted":  # never hand out a signature that does not verify
            raise IdentityError(f"The new signature does not verify ({res['message']['en']})",
                                f"新生成的签名无法通过验证（{res['message']['zh']}）", key="identity.sign_failed")
        return files

    # ------------------------------------------------------------------------------ PDF (PAdES)

    def _pyhanko_signer(self):
        from asn1crypto import keys as akeys, x509 as ax509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        cert = ax509.Certificate.load(self._cert.public_bytes(serialization.Encoding.DER))
        key = akeys.PrivateKeyInfo.load(keys.private_key_der(self._key))
        # the certificate is its own root: embed it once (as the signer's), not a second time as a root
        return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                    cert_registry=SimpleCertificateStore.from_certs([cert]), embed_roots=False)

    STAMP_TEXT = ("电子签章 · Digital seal\n"
                  "%(signer)s\n"
                  "签章时间 Signed: %(ts)s\n"
                  "SHA-256 指纹 Fingerprint:\n"
                  "%(fp1)s\n%(fp2)s")

    def stamp_style(self, font_file: str):
        from pyhanko.pdf_utils import layout
        from pyhanko.pdf_utils.content import RawContent
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.stamp import TextStampStyle

        size = 9  # the same size for the font engine and the text box (pyHanko #733: lines drift otherwise)
        font = GlyphAccumulatorFactory(font_file, font_size=size)
        # an opaque paper-white background, so the seal reads cleanly over whatever the page has there
        bg = RawContent(b"q 1 1 1 rg 0 0 100 100 re f Q", box=layout.BoxConstraints(100, 100))
        return TextStampStyle(
            stamp_text=self.STAMP_TEXT,
            text_box_style=TextBoxStyle(font=font, font_size=size, leading=12, text_color=SEAL_RED),
            border_width=1, border_color=SEAL_RED,
            background=bg, background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                                         y_align=layout.AxisAlignment.ALIGN_MID,
                                                         inner_content_scaling=layout.InnerScaling.STRETCH_FILL),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(6), inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT),
            timestamp_format="%Y-%m-%d %H:%M:%S %z",
        )

    def sign_pdf(self, src: Path, dst: Path, *, page_index: int, box: tuple[float, float, float, float]) -> None:
        """Sign the PDF `src` into `dst` (an incremental update: the bytes of `src` stay as they are)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign import fields, signers

        data = Path(src).read_bytes()
        x1, y1, x2, y2 = (float(v) for v in box)
        if not (x2 > x1 and y2 > y1):
            raise ValueError(f"seal box must be (x1, y1, x2, y2) with x2 > x1 and y2 > y1, not {box!r}")
        existing = {name for name, *_rest in fields.enumerate_sig_fields(PdfFileReader(io.BytesIO(data)))}
        field_name = FIELD_NAME
        n = 1
        while field_name in existing:
            n += 1
            field_name = f"{FIELD_NAME}{n}"
        fp = self.display_fingerprint.split(" ")
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            name=self.name, reason="申报材料电子签章 / Institutional seal of the submission",
            location=self.identity.country or None, contact_info=self.identity.contact or None,
        )
        params = {"signer": self.display_signer(), "fp1": " ".join(fp[:8]), "fp2": " ".join(fp[8:])}
        with private_temp_dir("seal") as tmp:
            font_file = _stamp_font(Path(tmp), self.STAMP_TEXT + "".join(params.values()) + "0123456789-+:. ")
            pdf_signer = _Pdf17Signer(
                meta, self._pyhanko_signer(), stamp_style=self.stamp_style(str(font_file)),
                new_field_spec=fields.SigFieldSpec(field_name, on_page=int(page_index), box=(x1, y1, x2, y2)),
            )
            w = IncrementalPdfFileWriter(io.BytesIO(data))
            out = io.BytesIO()
            with quiet("fontTools"), _producer_kept(data):
                pdf_signer.sign_pdf(w, output=out, appearance_text_params=params)
        signed = out.getvalue()
        if not signed.startswith(data):  # an incremental update leaves the original bytes untouched
            raise IdentityError("Signing changed the original PDF bytes", "签章改动了原 PDF 内容", key="identity.sign_failed")
        Path(dst).write_bytes(signed)

    def display_signer(self) -> str:
        """The names on the seal: Chinese and English, leaving out one the seal font cannot draw
        (e.g. a Thai-script name) as long as another remains."""
        names = [n for n in (self.identity.name_zh, self.identity.name_en) if n]
        drawable = [n for n in names if _font_covers(n)]
        return "\n".join(drawable or names)


def _pdf17_signer_class():
    """[docs helper, PDF/A-3b] pyHanko registers the ISO 32002 extension for an ECDSA P-256 key and
    so raises the file to PDF 2.0, which takes it out of PDF/A-3 (based on PDF 1.7). A PAdES
    signature with ECDSA is defined for PDF 1.7 by the ETSI ESIC extension, which pyHanko still
    registers: keep only that."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers.pdf_signer import _ensure_esic_ext

    class Pdf17Signer(signers.PdfSigner):
        def register_extensions(self, pdf_out, *, md_algorithm: str):
            if self.signature_meta.subfilter == SigSeedSubFilter.PADES:
                _ensure_esic_ext(pdf_out)

    return Pdf17Signer


_VENDOR_LOCK = threading.Lock()


@contextlib.contextmanager
def _producer_kept(pdf: bytes):
    """[docs helper, PDF/A-3b] pyHanko appends "pyHanko x.y" to the Info /Producer but writes plain
    "pyHanko x.y" as the XMP pdf:Producer, so the two disagree (PDF/A wants them equal). While it
    signs, let pyHanko's vendor string be the document's own producer: both then keep it (the
    signature itself records that pyHanko signed)."""
    from pyhanko.pdf_utils.metadata import model
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        producer = str(PdfFileReader(io.BytesIO(pdf)).trailer_view["/Info"]["/Producer"])
    except Exception:  # noqa: BLE001 - no Info, no producer: nothing to keep
        producer = ""
    if not producer:
        yield
        return
    with _VENDOR_LOCK:
        old = model.VENDOR
        model.VENDOR = producer
        try:
            yield
        finally:
            model.VENDOR = old


def _Pdf17Signer(*a, **k):  # noqa: N802 - used like the class it builds
    return _pdf17_signer_class()(*a, **k)


@functools.lru_cache(maxsize=1)
def _font_cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with quiet("fontTools"):
        return frozenset(TTFont(str(resources_dir() / "fonts" / STAMP_FONT), lazy=True).getBestCmap())


def _font_covers(text: str) -> bool:
    cmap = _font_cmap()
    return all(ord(c) in cmap or c.isspace() for c in text)


def _stamp_font(folder: Path, text: str) -> Path:
    """WenQuanYi Micro Hei cut down to the characters of the seal and rescaled to 1000 units per em.

    pyHanko's glyph accumulator writes hmtx advances straight into /W and TJ, which PDF reads as
    1/1000 em; WenQuanYi has 2048 units per em, so unscaled text would be spaced twice too wide."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    with quiet("fontTools"):
        font = TTFont(str(resources_dir() / "fonts" / STAMP_FONT))
        opts = subset.Options()
        opts.drop_tables += ["FFTM"]
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.layout_features = ["*"]
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        path = folder / "seal-font.ttf"
        font.save(str(path))
    return path
