"""`dossier export` and `dossier verify` (issue #4). Listed in desktop.cli.MODULES.

    dossier export FILE --out DIR [--allow-incomplete] [--sign] [--lang zh|en] [--docx] [--json]
        exit 0: written; 1: blocking problems (listed on stderr; nothing written); 2: error
    dossier export FILE --out DIR [--split SIZE] [--recovery PCT] [--encrypt-to AGE1…]… [--encrypt-to-card CARD]…
                               [--no-self] [--since PREVIOUS]          (issue #12: desktop.transport)
    dossier verify PACKAGE… [--basis PREVIOUS]… [--json] [--trust CERT_FILE]… [--trust-fingerprint HEX]…
        exit 0: intact; 1: tampered (each differing file named); 2: unreadable;
             3: untrusted (content intact, but not signed by a trusted identity)
"""

from __future__ import annotations

import sys

from .common import command, emit_json, lang, out, PARSERS, problem_lines, progress
from ..errors import DossierError


def _get_sealer():
    from .identity import register_prompt

    register_prompt()
    try:
        from ..identity import get_sealer  # type: ignore[attr-defined]
    except ImportError:
        raise DossierError("--sign: signing is not available in this build (desktop.identity is missing)",
                           "--sign：此版本不支持数字签章（缺少 desktop.identity 模块）", key="export.no_identity") from None
    return get_sealer()


def _progress():
    return progress()


@command("export")
def cmd_export(a) -> int:
    from ..export import ExportBlocked, export_project

    L = lang()
    transport = _transport_options(a)
    sealer = _get_sealer() if a.sign else None
    task = None if a.json else _progress()
    try:
        if transport:
            from ..transport import export_package

            res = export_package(a.file, a.out, allow_incomplete=a.allow_incomplete, sealer=sealer, task=task,
                                 lang=a.lang or "zh", docx_copy=a.docx, **transport)
        else:
            _fat32_check(a.file, a.out)
            res = export_project(a.file, a.out, allow_incomplete=a.allow_incomplete, sealer=sealer, task=task,
                                 lang=a.lang or "zh", docx_copy=a.docx)
    except ExportBlocked as e:
        if task is not None:
            sys.stderr.write("\n")
        from ..project import Project

        with Project.open(a.file, readonly=True) as proj:
            for line in problem_lines(proj.report(), L):
                if line.startswith(("阻止提交", "BLOCKING")):
                    sys.stderr.write(line + "\n")
        if a.json:
            emit_json({"ok": False, "blocking": len(e.problems), "problems": [p.to_dict() for p in e.problems]})
        raise
    finally:
        if task is not None:
            sys.stderr.write("\r" + " " * 20 + "\r")
    if a.json:
        emit_json({"ok": True, **res.to_dict()})
        return 0
    for en, zh in res.warnings:  # (TransportResult carries the export's warnings too)
        sys.stderr.write(("警告：" + zh if L == "zh" else "warning: " + en) + "\n")
    if (res.export if transport else res).draft:
        sys.stderr.write(("已导出草稿（每页带“草稿”水印），不可作为正式申报材料\n" if L == "zh"
                          else "exported a DRAFT (watermarked on every page): not a valid submission\n"))
    if transport:
        for p in res.outputs:
            out(str(p))
        ex = res.export
        extra = []
        if res.volumes > 1:
            extra.append(f"{res.volumes} volumes")
        if res.encrypted_to:
            extra.append("encrypted to " + ", ".join(res.encrypted_to))
        if res.delta_basis:
            extra.append(f"delta since {res.delta_basis['package_id'] or res.delta_basis['content_digest'][:16]}")
        out(f"sha256:{ex.content_digest}\t{ex.sealed_at}\t{ex.pages} pages\t{ex.files} files" +
            "".join(f"\t{x}" for x in extra))
        return 0
    out(str(res.pdf_path))
    out(str(res.zip_path))
    if res.docx_path is not None:
        out(str(res.docx_path))
    out(f"sha256:{res.content_digest}\t{res.sealed_at}\t{res.pages} pages\t{res.files} files")
    return 0


def _transport_options(a) -> dict:
    """The #12 options of `export`, checked before the (long) export starts."""
    opts: dict = {}
    if a.split:
        opts["split"] = a.split
    if a.recovery:
        opts["recovery"] = a.recovery
    recips = list(a.encrypt_to or [])
    if a.encrypt_to_card:
        from ..identity.keycard import read_key_card

        recips += [read_key_card(c) for c in a.encrypt_to_card]
    if recips:
        opts["encrypt_to"] = recips
        opts["encrypt_to_self"] = not a.no_self
    elif a.no_self:
        raise DossierError("--no-self only goes with --encrypt-to or --encrypt-to-card",
                           "--no-self 只能与 --encrypt-to 或 --encrypt-to-card 一起使用", key="export.usage")
    if a.since:
        opts["since"] = a.since
    return opts


def _fat32_check(project: str, out_dir: str) -> None:
    """An unsplit package of 4 GiB or more cannot go to a FAT32 stick: say so before exporting."""
    from pathlib import Path

    from ..transport.export import FAT32_LIMIT, TooLargeForFat, estimate_package_bytes, is_fat

    d = Path(out_dir)
    if d.is_dir() and is_fat(d):
        est = estimate_package_bytes(Path(project))
        if est >= FAT32_LIMIT - (64 << 20):
            raise TooLargeForFat(d, est)


@command("verify")
def cmd_verify(a) -> int:
    from ..export.verify import verdict_lines
    from ..transport import verify_paths

    v = verify_paths(a.package, basis=a.basis, trust_cert=a.trust, trust_fingerprint=a.trust_fingerprint)
    if a.json:
        emit_json(v.to_dict())
    else:
        out("\n".join(verdict_lines(v, lang())))
    return v.exit_code


def _parsers(sub) -> None:
    s = sub.add_parser("export", help="seal: write the submission PDF and the data package (zip)")
    s.add_argument("file")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--allow-incomplete", action="store_true",
                   help="export a DRAFT (watermarked) even with blocking problems")
    s.add_argument("--sign", action="store_true", help="seal with your signing identity (desktop.identity)")
    s.add_argument("--lang", choices=["zh", "en"], default=None, help="primary language of the PDF (default: zh)")
    s.add_argument("--docx", action="store_true",
                   help="also write the Word copy of the application beside the PDF (it is always in the package)")
    s.add_argument("--json", action="store_true")
    t = s.add_argument_group("transport (issue #12)")
    t.add_argument("--split", metavar="SIZE", help="volumes of at most SIZE: 20M (e-mail), 700M (CD), 4.7G (DVD), 4G (FAT32)")
    t.add_argument("--recovery", metavar="PCT", help="add PAR2 recovery data, e.g. 10%%")
    t.add_argument("--encrypt-to", metavar="AGE1…", action="append", help="encrypt to this age key (repeatable)")
    t.add_argument("--encrypt-to-card", metavar="CARD.pdf", action="append", help="encrypt to the key on this key card")
    t.add_argument("--no-self", action="store_true", help="do not also encrypt to your own key")
    t.add_argument("--since", metavar="PREVIOUS", help="a delta against an earlier package (its zip, or its id / digest "
                                                        "from the export history)")

    s = sub.add_parser("verify", help="check a sealed data package; exit 0 intact, 1 tampered, 2 unreadable, 3 untrusted")
    s.add_argument("package", nargs="+", help="a package (.zip, .zip.age, unpacked folder), the volumes of one, "
                                               "or a folder holding them")
    s.add_argument("--basis", metavar="PREVIOUS", action="append", help="for a delta: the package it was made against")
    s.add_argument("--json", action="store_true")
    s.add_argument("--trust", metavar="CERT_FILE", action="append", default=None,
                   help="require a signature by this certificate (repeat for a trust list)")
    s.add_argument("--trust-fingerprint", metavar="HEX", action="append", default=None,
                   help="require a signature by this key fingerprint (repeat for a trust list)")


PARSERS.append(_parsers)
