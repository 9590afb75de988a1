"""`dossier repair` and `dossier reassemble` (issue #12). Listed in desktop.cli.MODULES.

    dossier repair FILE…|FOLDER              repair damaged volumes / packages from their PAR2 data
        exit 0: every file intact or repaired; 1: something is damaged beyond repair; 2: error
    dossier reassemble FILE…|FOLDER --out DIR [--basis PREVIOUS]…
        write the whole package zip (from volumes, a .age file, a delta and its basis) into DIR

The export options (--split, --recovery, --encrypt-to, --encrypt-to-card, --since) and verify of
several files, a folder or a delta (--basis) are in desktop.cli.seal.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DossierError
from .common import PARSERS, command, emit_json, lang, out


@command("repair")
def cmd_repair(a) -> int:
    from ..transport import repair_paths

    zh = lang() == "zh"
    results = repair_paths(a.files)
    if not results:
        raise DossierError("No package files to repair were given", "没有给出需要修复的数据包文件", key="transport.nothing")
    if a.json:
        emit_json([{"file": str(p), **st.to_dict()} for p, st in results])
    else:
        for p, st in results:
            word = {"intact": ("完好", "intact"), "repaired": ("已修复", "repaired"), "repairable": ("可修复", "repairable"),
                    "unrepairable": ("无法修复", "damaged beyond repair"), "none": ("无恢复数据", "no recovery data"),
                    "foreign": ("恢复数据不符", "recovery data is for another file")}.get(st.state, (st.state, st.state))
            out(f"{word[0] if zh else word[1]}: {p.name}" + (f"  ({st.detail_zh if zh else st.detail})" if st.state not in
                                                            ("intact", "repaired") else ""))
    bad = [st for _p, st in results if st.state not in ("intact", "repaired")]
    return 1 if bad else 0


@command("reassemble")
def cmd_reassemble(a) -> int:
    from ..fsutil import temp_path_beside
    from ..transport import open_package

    d = Path(a.out)
    if not d.is_dir():
        raise DossierError(f"Output folder {d} does not exist", f"输出文件夹 {d} 不存在", key="export.no_folder")
    with open_package(a.files, basis=a.basis) as opened:
        if opened.zip is None:
            raise DossierError("That is one volume of a split package: give all its volumes (or their folder)",
                               "这只是分卷数据包中的一卷：请给出全部分卷（或其所在文件夹）", key="transport.single_volume")
        if opened.problems:
            raise DossierError("The volumes are damaged: " + "; ".join(opened.problems[:3]) + " (dossier repair)",
                               "分卷已损坏：" + "; ".join(opened.problems[:3]) + "（请用 dossier repair 修复）", key="transport.damaged")
        target = d / opened.zip.name
        tmp = temp_path_beside(target)
        try:
            import shutil

            shutil.copyfile(opened.zip, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise DossierError(f"Cannot write {target}: {e.strerror}", f"无法写入 {target}：{e.strerror}", key="export.write_failed") from None
        if a.json:
            emit_json({"ok": True, "zip_path": str(target), "notes": opened.notes})
        else:
            for n in opened.notes:
                out(n)
            out(str(target))
    return 0


def _parsers(sub) -> None:
    s = sub.add_parser("repair", help="repair damaged volumes or packages from their PAR2 recovery data")
    s.add_argument("files", nargs="+", metavar="FILE", help="damaged files (their .par2 files beside them), or a folder")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("reassemble", help="write the whole package from volumes, a .age file or a delta")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--basis", metavar="PREVIOUS", action="append", help="for a delta: the package it was made against")
    s.add_argument("--json", action="store_true")


PARSERS.append(_parsers)
