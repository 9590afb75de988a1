"""FAT32 targets (#12): an output of 4 GiB or more is refused up front, with volumes offered."""

from __future__ import annotations

import pytest

from desktop.cli import main as cli_main
from desktop.transport import export as texport

from .conftest import out_dir


def test_filesystem_type_of_this_folder(tmp_path):
    kind = texport.filesystem_type(tmp_path)
    assert isinstance(kind, str)
    import sys

    if sys.platform.startswith("linux"):
        assert kind  # /proc/self/mountinfo names it (ext4, overlay, tmpfs, …)
        assert not texport.is_fat(tmp_path) or kind in ("vfat", "msdos")


def test_large_unsplit_export_to_fat32_is_refused_with_the_way_out(demo_copy, tmp_path, monkeypatch, capsys):
    out = out_dir(tmp_path, "usb")
    monkeypatch.setattr(texport, "filesystem_type", lambda folder: "vfat")
    monkeypatch.setattr(texport, "estimate_package_bytes", lambda p: 5 << 30)
    assert cli_main(["export", str(demo_copy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "FAT32" in err and "--split 4G" in err
    with pytest.raises(texport.TooLargeForFat):
        texport.export_package(demo_copy, out, recovery=None, encrypt_to=(), since=None, split=None)
    assert list(out.iterdir()) == []
    # with volumes it goes ahead (this small demo fits one volume)
    assert cli_main(["export", str(demo_copy), "--out", str(out), "--split", "4G"]) == 0


def test_small_export_to_fat32_goes_ahead(demo_copy, tmp_path, monkeypatch):
    out = out_dir(tmp_path, "usb")
    monkeypatch.setattr(texport, "filesystem_type", lambda folder: "vfat")
    assert cli_main(["export", str(demo_copy), "--out", str(out)]) == 0
