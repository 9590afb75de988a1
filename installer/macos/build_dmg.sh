#!/bin/sh
# Dossier for macOS: wrap the PyInstaller app bundle (dist/Dossier.app) in a compressed .dmg.
#
#   .venv/bin/pyinstaller installer/dossier.spec --noconfirm     # makes dist/Dossier.app
#   sh installer/macos/build_dmg.sh                             # makes dist/Dossier-<version>-macos-<arch>.dmg
#
# The .app declares the .dossier document type (CFBundleDocumentTypes + an exported UTI, from
# installer/platform_meta.py), so Finder opens projects with it; Finder sends the file as an Apple
# event, which desktop/ui/app.py handles (QFileOpenEvent). The image is ULMO (LZMA, macOS 10.15+)
# and holds the app and a link to /Applications for drag-and-drop installation.
#
# Signing: PyInstaller signs ad hoc, which runs on the machine it was built on; for other Macs
# sign with a Developer ID and notarize (set CODESIGN_IDENTITY, then
# `xcrun notarytool submit … --wait` and `xcrun stapler staple` on the .dmg). Without that,
# Gatekeeper asks the user to allow the app in System Settings → Privacy & Security.
set -eu
cd "$(dirname "$0")/../.."
APP=dist/Dossier.app
[ -d "$APP" ] || { echo "build_dmg.sh: $APP missing: run pyinstaller installer/dossier.spec first" >&2; exit 2; }
VERSION=$(python3 installer/platform_meta.py)
ARCH=$(uname -m)
OUT="dist/Dossier-$VERSION-macos-$ARCH.dmg"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi
plutil -lint "$APP/Contents/Info.plist"
/usr/libexec/PlistBuddy -c "Print :CFBundleDocumentTypes:0:LSItemContentTypes:0" "$APP/Contents/Info.plist"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$OUT"
hdiutil create -volname "Dossier $VERSION" -srcfolder "$STAGE" -fs HFS+ -format ULMO -ov "$OUT"
hdiutil verify "$OUT"
ls -l "$OUT"
