"""Fixtures for the reviewer's desk: a folder of real packages, sealed by the export code.

`packages` (session-wide, read-only — copy before changing) holds:

    a.zip          甲学校, unsigned, sealed 2025-03-01
    a2.zip         甲学校 again (the same project, an answer changed and a file added), 2025-03-02
    b.zip          乙学校, signed by identity "trusted" (its certificate: trusted-cert.pem)
    c.zip          丙学校, signed by identity "other" (not in any trust list)
    tampered.zip   b.zip with one evidence byte flipped
    dup.zip        a byte-for-byte copy of a.zip
    wrong.zip      a package for another program (moe-core-course)
    truncated.zip  a.zip cut short (a copy interrupted)
    slip.zip       a hostile zip (an entry named ../evil.txt)
    notzip.zip     not a zip at all
    plain.zip      a zip that is not a package
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.keyrings import install_memory_keyring

T0 = _dt.datetime(2025, 3, 1, 10, 15, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
PROGRAM = "gx-city-consortium"


@dataclass
class PackageSet:
    folder: Path  # every package below, in one folder (the "USB stick")
    projects: Path  # the projects they came from
    a: Path
    a2: Path
    b: Path
    c: Path
    tampered: Path
    dup: Path
    wrong: Path
    truncated: Path
    slip: Path
    notzip: Path
    plain: Path
    trusted_cert: Path
    trusted_fp: str
    other_fp: str
    project_a: Path  # the project of a.zip / a2.zip as it was when a.zip was sealed (copy before changing)


def _clock(t):
    return lambda: t


def _export(project: Path, out: Path, when, sealer=None) -> Path:
    from desktop.export import export_project

    out.mkdir(parents=True, exist_ok=True)
    return export_project(project, out, sealer=sealer, clock=_clock(when)).zip_path


def first_numeric(program) -> str:
    return next(p for p, f in program.fields.items() if f.type in ("integer", "number"))


@contextlib.contextmanager
def own_home(base: Path):
    """A long-lived fixture's own DOSSIER_HOME and in-memory keyring: it outlives the per-test ones."""
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("DOSSIER_HOME", str(base / "home"))
        install_memory_keyring(mp)
        yield
    finally:
        mp.undo()


def attach_pdf(proj, base: Path, name: str, text: str) -> None:
    """Attach a small PDF `name` to the first slot of the program that takes PDFs."""
    from desktop.demo import _pdf_bytes

    ind = next(i for i in proj.program.indicators() if any("pdf" in (s.accept or ["pdf"]) for s in i.evidence))
    slot = next(s for s in ind.evidence if "pdf" in (s.accept or ["pdf"]))
    extra = base / name
    extra.write_bytes(_pdf_bytes(text))
    proj.attach(extra, ind.id, slot.id)


def flip_evidence_byte(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as z:
        items = [(zi, z.read(zi)) for zi in z.infolist()]
    done = False
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        for zi, data in items:
            if not done and "/data/evidence/" in zi.filename and data:
                b = bytearray(data)
                b[len(b) // 2] ^= 1
                data = bytes(b)
                done = True
            z.writestr(zi, data)
    return dst


@pytest.fixture(scope="session")
def packages(tmp_path_factory) -> PackageSet:
    from desktop import identity
    from desktop.demo import make_demo
    from desktop.programs import find_program
    from desktop.project import Project

    base = tmp_path_factory.mktemp("review-packages")
    with own_home(base):
        folder = base / "usb"
        folder.mkdir()
        projects = base / "projects"
        projects.mkdir()
        prog = find_program(PROGRAM)
        master = projects / "master.dossier"
        make_demo(prog, master).close()

        def project(name: str, applicant: str) -> Path:
            p = projects / f"{name}.dossier"
            shutil.copyfile(master, p)
            with Project.open(p) as proj:
                proj.set_applicant(applicant, f"{name} school")
            # a copy has its master's project UUID: give each applicant its own, as separate projects have
            import sqlite3
            import uuid

            c = sqlite3.connect(p)
            c.execute("UPDATE meta SET value=? WHERE key='project_uuid'", (str(uuid.uuid4()),))
            c.commit()
            c.close()
            return p

        pa = project("a", "甲学校")
        a = shutil.copyfile(_export(pa, base / "out-a", T0), folder / "a.zip")
        project_a = projects / "a-as-sealed.dossier"
        shutil.copyfile(pa, project_a)
        with Project.open(pa) as proj:
            path = first_numeric(proj.program)
            proj.set(path, (proj.get(path) or 0) + 7)
            attach_pdf(proj, base, "补充材料.pdf", "补充材料 supplement")
        a2 = shutil.copyfile(_export(pa, base / "out-a2", T0 + _dt.timedelta(days=1)), folder / "a2.zip")

        identity.create_identity("乙学校", "Yi School", "CN", storage="keyring")
        trusted_fp = identity.load_identity().fingerprint
        trusted_cert = base / "trusted-cert.pem"
        identity.export_certificate(trusted_cert)
        b = shutil.copyfile(_export(project("b", "乙学校"), base / "out-b", T0, identity.get_sealer()), folder / "b.zip")
        identity.delete_identity()
        identity.create_identity("丙学校", "Bing School", "CN", storage="keyring")
        other_fp = identity.load_identity().fingerprint
        c = shutil.copyfile(_export(project("c", "丙学校"), base / "out-c", T0, identity.get_sealer()), folder / "c.zip")
        identity.delete_identity()

        tampered = flip_evidence_byte(b, folder / "tampered.zip")
        dup = shutil.copyfile(a, folder / "dup.zip")
        other = find_program("moe-core-course")
        wp = projects / "wrong.dossier"
        make_demo(other, wp).close()
        wrong = shutil.copyfile(_export(wp, base / "out-w", T0), folder / "wrong.zip")
        data = a.read_bytes()
        truncated = folder / "truncated.zip"
        truncated.write_bytes(data[: len(data) // 2])
        slip = folder / "slip.zip"
        with zipfile.ZipFile(slip, "w") as z:
            z.writestr("bag/bagit.txt", "BagIt-Version: 1.0\n")
            z.writestr("../evil.txt", "x")
        notzip = folder / "notzip.zip"
        notzip.write_bytes(b"this is not a zip file\n" * 10)
        plain = folder / "plain.zip"
        with zipfile.ZipFile(plain, "w") as z:
            z.writestr("hello.txt", "hello")
        (folder / "readme.txt").write_text("not looked at")
        return PackageSet(folder, projects, a, a2, b, c, tampered, dup, wrong, truncated, slip, notzip, plain,
                          trusted_cert, trusted_fp, other_fp, project_a)


@pytest.fixture
def review_path(tmp_path) -> Path:
    from desktop.review import Review

    p = tmp_path / "desk.dreview"
    Review.create(p, "2025 城市产教联合体推荐", PROGRAM).close()
    return p


@pytest.fixture
def mem_keyring(monkeypatch):
    return install_memory_keyring(monkeypatch)


# the UI fixtures (headless app set up like the real one, captured message boxes and file dialogs)
from tests.ui.conftest import controller, file_dialogs, messages, ui  # noqa: E402,F401
