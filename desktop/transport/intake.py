"""Taking a package in, whatever shape it travelled in: one zip, volumes, `.age`, a delta.

    with open_package([paths…], basis=None, identity=None) as opened:
        opened.zip          # a whole package zip (reassembled / decrypted / rebuilt) or the original
        opened.notes        # what was done: ["decrypted x.zip.age with age1…", "reassembled from 5 volumes", …]
        opened.volume       # set when the input is ONE volume of a split package (opened.zip is None)

    verify_paths([paths…], basis=None, trust_cert=None, trust_fingerprint=None) -> Verdict

Everything written goes to a private temporary folder (mode 0700) that is removed when the
context ends; the inputs are never modified. Errors are DossierError with both languages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DossierError
from . import delta as _delta
from . import encrypt as _enc
from . import recovery as _rec
from . import volumes as _vol
from .layout import PartMismatch

TEMP_PREFIX = "dossier-transport-"


class DamagedVolumes(DossierError):
    """Volumes whose bytes do not match their own manifests (scratched disc, cut download…)."""

    def __init__(self, problems: list[str], findings: list):
        super().__init__("damaged volumes: " + "; ".join(problems[:3]), "分卷已损坏：" + "; ".join(problems[:3]),
                         key="transport.damaged")
        self.problems, self.findings = problems, findings


@dataclass
class Opened:
    zip: Path | None
    notes: list[str] = field(default_factory=list)
    volume: dict[str, Any] | None = None  # one volume on its own: {"index", "count", "package_id", "path"}
    delta: dict[str, Any] | None = None  # {"basis": {…}} when rebuilt from a delta
    problems: list[str] = field(default_factory=list)  # volume-set problems (missing, foreign, damaged)
    tmp: Path | None = None

    def close(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self) -> "Opened":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _expand(paths: list[Path]) -> list[Path]:
    """Files given directly, plus the package files inside given folders (not unpacked bags)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir() and not (p / "bagit.txt").exists():
            for c in sorted(p.iterdir()):
                if c.is_file() and (c.name.endswith((".zip", ".zip.age"))):
                    out.append(c)
        else:
            out.append(p)
    return out


def _identities(identity: Any) -> tuple[list[Any], str | None]:
    """The age identities to decrypt with: given, else this computer's (made on demand: no).
    No identity, or one with no encryption key: none ("not for you: this computer has no
    encryption key"). A key that exists but cannot be opened (wrong or missing passphrase, a
    damaged or missing key file) raises its own message: it is not "no key"."""
    if identity is not None:
        ids = identity if isinstance(identity, (list, tuple)) else [identity]
        return list(ids), None
    from ..identity import agekey

    try:
        own = agekey.recipient()
    except DossierError:  # damaged identity files: as good as none for opening packages
        return [], None
    if not own:
        return [], None
    return [agekey.load_age_identity()], own


def open_package(paths, *, basis=None, identity: Any = None, task=None, delta_as_is: bool = False) -> Opened:
    """Open what was received (see the module doc). `basis` (a path, or several: a split or
    encrypted basis) is needed for a delta. `identity`: pyrage identities, default this computer's.
    `delta_as_is`: a delta with no basis given comes back as the plain delta zip (decrypted and
    reassembled), not refused — the reviewer's desk keeps it until its basis is taken in."""
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    files = _expand(paths)
    if not files:
        raise DossierError("No package files were given (or the folder holds none)", "没有给出数据包文件（或文件夹中没有）",
                           key="transport.nothing")
    from .layout import remove_stale

    remove_stale(Path(tempfile.gettempdir()), TEMP_PREFIX)
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    os.chmod(tmp, 0o700)
    opened = Opened(None, tmp=tmp)
    try:
        ids: list[Any] | None = None
        own = None
        plain: list[Path] = []
        origin: dict[Path, Path] = {}
        for f in files:
            if f.name.endswith(".age") or (f.is_file() and _enc.is_age_file(f)):
                if ids is None:
                    ids, own = _identities(identity)
                out = tmp / (f.name[:-4] if f.name.endswith(".age") else f.name + ".zip")
                _enc.decrypt_file(f, out, ids, own=own)
                opened.notes.append(f"decrypted {f.name}" + (f" with {own}" if own else ""))
                plain.append(out)
                origin[out] = f
            else:
                plain.append(f)
        if len(plain) == 1 and (plain[0].is_dir() or _vol.is_volume(plain[0]) is None):
            target = plain[0]
        else:
            target = _from_volumes(plain, opened, tmp, task, origin)
            if target is None:
                return opened
        # a delta: rebuild the full package against its basis
        if target.is_file():
            src = _try_zip(target)
            if src is not None:
                try:
                    is_d = _delta.is_delta(src)
                finally:
                    src.close()
                if is_d and basis is None and delta_as_is:
                    opened.notes.append(f"a resubmission delta ({target.name}), kept until its basis is here")
                    opened.zip = target
                    return opened
                if is_d:
                    bpath = None
                    if basis is not None:
                        b = open_package(basis, identity=identity, task=task)
                        opened.notes += [f"basis: {n}" for n in b.notes]
                        if b.zip is None:
                            b.close()
                            raise DossierError("the basis is not a whole package (a single volume?)", "基础包不完整（只有单卷？）",
                                               key="transport.basis_not_whole")
                        bpath = tmp / "basis.zip"
                        if b.tmp is not None and str(b.zip).startswith(str(b.tmp)):
                            shutil.move(str(b.zip), bpath)
                        else:
                            bpath = b.zip
                        b.close()
                    out = tmp / "rebuilt.zip"
                    layout, doc = _delta.reconstruct(target, bpath, out, task=task)
                    final = tmp / f"{layout.root}.zip"
                    os.replace(out, final)
                    opened.delta = {"basis": doc["basis"], "delta": target.name}
                    opened.notes.append(f"rebuilt from the delta {target.name} and its basis {_delta.describe_basis(doc)}")
                    target = final
        opened.zip = target
        return opened
    except BaseException:
        opened.close()
        raise


def _try_zip(p: Path):
    try:
        from .layout import open_zip

        return open_zip(p)
    except DossierError:
        return None


def _origin(p: Path, tmp: Path, origin: dict[Path, Path]) -> Path | None:
    """The file the user gave for `p` (the .age file when `p` was decrypted into the temp folder)."""
    return origin.get(p, None if p.parent == tmp else p)


def _from_volumes(plain: list[Path], opened: Opened, tmp: Path, task, plain_origin: dict[Path, Path]) -> Path | None:
    vols, problems = _vol.group_volumes(plain)
    try:
        if not vols:
            raise DossierError("None of the files is a package or a volume: " + "; ".join(problems[:3]),
                               "这些文件都不是数据包或分卷：" + "; ".join(problems[:3]), key="transport.not_package")
        opened.problems += problems
        if len(plain) == 1:  # one volume alone: checked on its own (verify_volume)
            v = vols[0]
            opened.volume = {"index": v.index, "count": v.count, "package_id": v.group, "path": str(v.path)}
            return None
        sc = _vol.check_set(vols)
        opened.problems += [f"foreign volume: {f}" for f in sc.foreign]
        opened.problems += [f"duplicate volume: {d}" for d in sc.duplicates]
        if sc.missing:
            names = ", ".join(_vol.volume_name(next(iter(sc.by_index.values())).root.rsplit("_part", 1)[0], i, sc.count) + ".zip"
                              for i in sc.missing[:8])
            raise DossierError(f"volumes missing: {len(sc.missing)} of {sc.count} ({names}); all {sc.count} are needed",
                               f"缺少分卷：共 {sc.count} 卷，缺 {len(sc.missing)} 卷（{names}）", key="transport.volumes_missing")
        # damaged volumes: say which, and whether recovery data can repair them, instead of reassembling
        damaged, findings = [], []
        for i, v in sorted(sc.by_index.items()):
            bad = _volume_damage(v)
            if bad:
                src_path = _origin(v.path, tmp, plain_origin)
                st = _rec.status(src_path) if src_path is not None else _rec.Status("none")
                how = {"repairable": "damaged, repairable (dossier repair)", "unrepairable": "damaged beyond repair",
                       "foreign": "damaged; " + st.detail}.get(st.state, "damaged (no recovery data)")
                damaged.append(f"part {i} of {sc.count} ({v.path.name}): {how}: {bad}")
                from ..export.verify import Finding

                for b in bad.split(", "):
                    rel, _sp, kind = b.rpartition(" ")
                    findings.append(Finding(f"{v.path.name}:{rel}", kind if kind in ("missing", "modified") else "modified", how))
        if damaged:
            raise DamagedVolumes(opened.problems + damaged, findings)
        out = tmp / "reassembled.zip"
        layout = _vol.reassemble(sc, out, task=task)
        final = tmp / f"{layout.root}.zip"
        os.replace(out, final)
        opened.notes.append(f"reassembled from {sc.count} volumes")
        return final
    finally:
        for v in vols:
            v.close()


def _volume_damage(v: "_vol.VolumeInfo") -> str:
    """'' when every payload file of the volume matches its manifest, else which do not."""
    from ..export.digest import parse_listing

    src = v.src
    man = f"{v.root}/manifest-sha256.txt"
    if man not in src.entries:
        return "no manifest"
    try:
        listing = parse_listing(b"".join(bytes(c) for c in src.chunks(man)))
    except (ValueError, UnicodeDecodeError):
        return "manifest unreadable"
    bad = []
    for rel, sha in listing.items():
        name = f"{v.root}/{rel}"
        if name not in src.entries:
            bad.append(f"{rel} missing")
            continue
        try:
            got, _n = src.hash_entry(name)
        except Exception:  # noqa: BLE001 - a truncated entry
            got = ""
        if got != sha:
            bad.append(f"{rel} modified")
    return ", ".join(bad[:5])


# ------------------------------------------------------------------------------------------ verify


def verify_paths(paths, *, basis=None, trust_cert: Any = None, trust_fingerprint: Any = None, identity: Any = None):
    """One verdict for what was received: a package, volumes (one alone, or the set), `.age`, a delta."""
    from ..export.verify import Verdict, verify_package

    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    label = ", ".join(p.name for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    if len(paths) == 1 and basis is None:
        p = paths[0]
        try:
            st = os.stat(p)
        except OSError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode) and (p / "bagit.txt").exists():
            return verify_package(p, trust_cert=trust_cert, trust_fingerprint=trust_fingerprint)
        if st is None or not stat.S_ISREG(st.st_mode) or not (p.name.endswith(".age") or _needs_transport(p)):
            if st is None or not stat.S_ISDIR(st.st_mode):
                return verify_package(p, trust_cert=trust_cert, trust_fingerprint=trust_fingerprint)
    try:
        opened = open_package(paths, basis=basis, identity=identity)
    except DamagedVolumes as e:
        v = Verdict(status="tampered", package=label)
        v.notes += e.problems
        v.findings = e.findings
        return v
    except PartMismatch as e:  # a part's bytes are not what the index records: the content changed
        from ..export.verify import Finding

        v = Verdict(status="tampered", package=label)
        v.findings = [Finding(e.path, "modified", e.en)]
        return v
    except DossierError as e:
        v = Verdict(status="unreadable", package=label)
        v.errors.append(e.en)
        v.errors_zh.append(e.zh)
        v.error_key = e.key
        return v
    with opened:
        if opened.volume is not None:
            return verify_volume(Path(opened.volume["path"]), trust_cert=trust_cert, trust_fingerprint=trust_fingerprint)
        v = verify_package(opened.zip, trust_cert=trust_cert, trust_fingerprint=trust_fingerprint)
        v.package = label
        v.notes = opened.notes + v.notes
        if opened.problems:
            v.notes += opened.problems
            if v.status in ("intact", "untrusted") and any(not p.startswith("foreign volume") and not p.startswith("duplicate")
                                                           for p in opened.problems):
                v.status = "tampered"
        return v


def _needs_transport(p: Path) -> bool:
    """An encrypted file, a volume or a delta (one look at the zip's directory and bag-info)."""
    if _enc.is_age_file(p):
        return True
    src = _try_zip(p)
    if src is None:
        return False
    try:
        return _vol.volume_info(src, p) is not None or _delta.is_delta(src) is not None
    finally:
        src.close()


def verify_volume(path: Path, *, trust_cert: Any = None, trust_fingerprint: Any = None):
    """One volume on its own: its own bag checks out ("part 2 of 5: intact"); volume 1 also shows
    the application (program, applicant) and checks the package's signature and documents."""
    from ..export.verify import Check, Finding, Verdict, check_signature

    v = Verdict(status="unreadable", package=str(path))
    vi = _vol.is_volume(path)
    if vi is None:
        v.errors.append("not a volume of a split package")
        v.errors_zh.append("不是分卷数据包中的一卷")
        return v
    try:
        v.volume = {"index": vi.index, "count": vi.count, "package_id": vi.group, "set": vi.set_digest}
        v.package_id = vi.group
        src = vi.src
        names = src.names()
        findings: list[Finding] = []
        bad = _volume_damage(vi)
        for b in [x for x in bad.split(", ") if x]:
            rel, _sp, kind = b.rpartition(" ")
            findings.append(Finding(rel, kind if kind in ("missing", "modified") else "modified", "differs from the volume's manifest"))
        from ..export.digest import parse_listing

        tm_name = f"{vi.root}/tagmanifest-sha256.txt"
        tags: dict[str, str] = {}
        if tm_name in src.entries:
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                tags = parse_listing(b"".join(bytes(c) for c in src.chunks(tm_name)))
        for t, sha in tags.items():
            n = f"{vi.root}/{t}"
            if n not in src.entries:
                findings.append(Finding(t, "missing", "listed in the tag manifest"))
            elif src.hash_entry(n)[0] != sha:
                findings.append(Finding(t, "modified", "SHA-256 differs from the tag manifest"))
        listed = set(tags) | {"tagmanifest-sha256.txt"}
        man_name = f"{vi.root}/manifest-sha256.txt"
        payload = set()
        if man_name in src.entries:
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                payload = set(parse_listing(b"".join(bytes(c) for c in src.chunks(man_name))))
        for n in names:
            rel = n[len(vi.root) + 1:]
            if rel not in listed and rel not in payload:
                findings.append(Finding(rel, "extra", "not part of the volume"))
        v.files = len(payload)
        if vi.index == 1:
            try:
                doc = _vol.read_index(vi)
                v.checks.append(Check("volume index", True, f"{len(doc['entries'])} files in {len(doc['volumes'])} volumes"))
                v.content_digest = doc["package"].get("content_digest", "")
                pkg_tags = {t: b"".join(bytes(c) for c in src.chunks(f"{vi.root}/package/{t}"))
                            for t in ("tagmanifest-sha256.txt", "signature.p7s", "signer-cert.pem")
                            if f"{vi.root}/package/{t}" in src.entries}
                sig_files = {k: d for k, d in pkg_tags.items() if k != "tagmanifest-sha256.txt"}
                from ..export.verify import _fp_list, _judge_signature, _judge_trust, _trust_bytes

                v.signature = check_signature(pkg_tags.get("tagmanifest-sha256.txt"), sig_files,
                                              trust_cert=_trust_bytes(trust_cert), trust_fingerprint=_fp_list(trust_fingerprint))
                _judge_signature(v, "signature", v.signature)
                ans = f"{vi.root}/data/answers.json"
                if ans in src.entries and src.size(ans) <= 64 << 20:
                    from ..export import answers_json

                    with contextlib.suppress(answers_json.AnswersFormatError):
                        a = answers_json.loads(b"".join(bytes(c) for c in src.chunks(ans)))
                        v.program = {"id": a["program"]["id"], "version": a["program"]["version"],
                                     "title_zh": a["program"]["title"]["zh"], "title_en": a["program"]["title"]["en"]}
                        v.applicant = a["applicant"]["zh"]
                        v.sealed_at = a["sealed_at"]
                        v.project_uuid = (a.get("project") or {}).get("uuid", "")
                v.trust = _judge_trust(v, bool(trust_cert or trust_fingerprint))
            except DossierError as e:
                v.checks.append(Check("volume index", False, e.en))
        v.findings = findings
        ok = not findings and all(c.ok for c in v.checks)
        v.status = "tampered" if not ok else ("untrusted" if v.trust.get("required") and not v.trust.get("met") else "intact")
        if ok:
            v.notes.append(f"part {vi.index} of {vi.count}: intact on its own; give all {vi.count} volumes (or their folder) "
                           "to verify the whole package")
        else:
            st = _rec.status(path)
            if st.state in ("repairable", "unrepairable"):
                v.notes.append(st.detail)
        return v
    finally:
        vi.close()


def repair_paths(paths) -> list[tuple[Path, "_rec.Status"]]:
    """Repair each given file (or every package file in a given folder) from its PAR2 data."""
    out = []
    for p in _expand([Path(x) for x in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]):
        if p.name.endswith(".par2"):
            continue
        if not p.is_file():
            raise DossierError(f"File not found: {p}", f"找不到文件：{p}", key="transport.not_found")
        out.append((p, _rec.repair(p)))
    return out
