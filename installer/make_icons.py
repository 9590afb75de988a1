"""Render the app icon from resources/icons/dossier.svg into the sizes each platform wants.

    python installer/make_icons.py

Writes resources/icons/dossier-<N>.png (16 … 512: Linux hicolor theme, the window icon),
dossier.ico (Windows: 16, 24, 32, 48, 64, 128, 256) and dossier.icns (macOS). The outputs are
committed, so building an installer needs neither this script nor QtSvg; re-run it after editing
the SVG. Rendering uses QtSvg from the development environment (offscreen).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(p)
    p.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["make_icons"])  # noqa: F841 - QImage needs it
    svg = ICONS / "dossier.svg"
    images = {}
    for n in PNG_SIZES:
        png = render_png(svg, n)
        # strip Qt's text chunks and timestamps: the same SVG always gives the same bytes
        im = Image.open(io.BytesIO(png)).convert("RGBA")
        out = io.BytesIO()
        im.save(out, "PNG", optimize=True)
        (ICONS / f"dossier-{n}.png").write_bytes(out.getvalue())
        images[n] = im
    # BMP (DIB) entries: what every Windows tool reads (NSIS and resource compilers refuse PNG entries)
    images[256].save(ICONS / "dossier.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES], bitmap_format="bmp",
                     append_images=[images[n] for n in ICO_SIZES if n != 256])
    images[512].save(ICONS / "dossier.icns", format="ICNS", append_images=[images[n] for n in (16, 32, 64, 128, 256)])
    for p in sorted(ICONS.iterdir()):
        print(f"{p.stat().st_size:8d}  {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
