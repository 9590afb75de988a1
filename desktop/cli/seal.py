"""`dossier export` and `dossier verify` (issue #4). Listed in desktop.cli.MODULES.

    dossier export FILE --out DIR [--allow-incomplete] [--sign] [--lang zh|en] [--docx] [--json]
        exit 0: written; 1: blocking problems (listed on stderr; nothing written); 2: error
    dossier verify PACKAGE [--json] [--trust CERT_FILE | --trust-fingerprint HEX]
        exit 0: intact; 1: tampered (each differing file named); 2: unreadable
"""

from __future__ import annotations

import sys

from .common import PARSERS, command, emit_json, lang, out, problem_lines
from ..errors import DossierError


def _get_sealer():
    try:
        from ..identity import get_sealer  # type: ignore[attr-defined]
    except ImportError:
        raise DossierError("--sign: signing is not available in this build (desktop.identity is missing)",
                           "--sign：此版本不支持数字签章（缺少 desktop.identity 模块）", key="export.no_identity") from None
    return get_sealer()


def _progress():
    from ..tasks import TaskState

    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int, status: str) -> None:
        pct = int(done * 100 / total) if total else 0
        if pct != last[0]:
            last[0] = pct
            sys.stderr.write(f"\r{status or 'export'} {pct:3d}%")
            sys.stderr.flush()

    return TaskState(show, min_interval=0.2)


@command("export")
def cmd_export(a) -> int:
    from ..export import ExportBlocked, export_project

    L = lang()
    sealer = _get_sealer() if a.sign else None
    task = None if a.json else _progress()
    try:
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
    for en, zh in res.warnings:
        sys.stderr.write(("警告：" + zh if L == "zh" else "warning: " + en) + "\n")
    if res.draft:
        sys.stderr.write(("已导出草稿（每页带“草稿”水印），不可作为正式申报材料\n" if L == "zh"
                          else "exported a DRAFT (watermarked on every page): not a valid submission\n"))
    out(str(res.pdf_path))
    out(str(res.zip_path))
    if res.docx_path is not None:
        out(str(res.docx_path))
    out(f"sha256:{res.content_digest}\t{res.sealed_at}\t{res.pages} pages\t{res.files} files")
    return 0


@command("verify")
def cmd_verify(a) -> int:
    from ..export.verify import verdict_lines, verify_package

    v = verify_package(a.package, trust_cert=a.trust, trust_fingerprint=a.trust_fingerprint)
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

    s = sub.add_parser("verify", help="check a sealed data package; exit 0 intact, 1 tampered, 2 unreadable")
    s.add_argument("package")
    s.add_argument("--json", action="store_true")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--trust", metavar="CERT_FILE", default=None, help="require a signature by this certificate")
    g.add_argument("--trust-fingerprint", metavar="HEX", default=None, help="require a signature by this key fingerprint")


PARSERS.append(_parsers)
