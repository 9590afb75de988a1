#!/bin/sh
# Install Dossier from this unpacked folder: the app, a `dossier` command, the menu entry, the
# .dossier file type (double-click opens it) and the icon.
#
#   ./install.sh               for you (~/.local/share/dossier, ~/.local/bin/dossier)
#   sudo ./install.sh --system for everyone (/opt/dossier, /usr/local/bin/dossier)
#   ./install.sh --uninstall   (with --system to remove a system install)
#
# Nothing here needs the network. Running ./dossier straight from this folder also works (a USB
# stick): installing only adds the menu entry and the file type.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
MODE=user
ACTION=install
for arg in "$@"; do
    case "$arg" in
        --system) MODE=system ;;
        --uninstall) ACTION=uninstall ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

if [ "$MODE" = system ]; then
    APP=/opt/dossier
    BIN=/usr/local/bin
    SHARE=/usr/local/share
else
    DATA=${XDG_DATA_HOME:-$HOME/.local/share}
    APP=$DATA/dossier/app
    BIN=$HOME/.local/bin
    SHARE=$DATA
fi
SIZES="16 24 32 48 64 128 256 512"

refresh() {
    # best effort: desktops pick the new entry and file type up without logging out
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$SHARE/applications" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "$ACTION" = uninstall ]; then
    rm -rf "$APP"
    [ -L "$BIN/dossier" ] && rm -f "$BIN/dossier"
    rm -f "$SHARE/applications/dossier.desktop" "$SHARE/mime/packages/dossier.xml"
    for n in $SIZES; do
        rm -f "$SHARE/icons/hicolor/${n}x${n}/apps/dossier.png" \
              "$SHARE/icons/hicolor/${n}x${n}/mimetypes/application-x-dossier-project.png"
    done
    rm -f "$SHARE/icons/hicolor/scalable/apps/dossier.svg"
    refresh
    echo "Dossier removed. Your projects and your institution identity were not touched."
    exit 0
fi

[ -x "$HERE/dossier" ] && [ -d "$HERE/_internal" ] || { echo "install.sh: run it from the unpacked Dossier folder" >&2; exit 2; }

# the app: copied beside the old one, then swapped, so a failed copy never leaves half an app
mkdir -p "$(dirname "$APP")" "$BIN" "$SHARE/applications" "$SHARE/mime/packages"
rm -rf "$APP.new"
mkdir -p "$APP.new"
cp -R "$HERE/dossier" "$HERE/_internal" "$APP.new/"
rm -rf "$APP.old"
[ -e "$APP" ] && mv "$APP" "$APP.old"
mv "$APP.new" "$APP"
rm -rf "$APP.old"
ln -sf "$APP/dossier" "$BIN/dossier"

# the menu entry, pointing at this install (a path with spaces is quoted, as the spec asks)
sed -e "s|^Exec=dossier |Exec=\"$APP/dossier\" |" -e "s|^TryExec=dossier\$|TryExec=$APP/dossier|" \
    "$HERE/share/applications/dossier.desktop" > "$SHARE/applications/dossier.desktop"
cp "$HERE/share/mime/packages/dossier.xml" "$SHARE/mime/packages/dossier.xml"
for n in $SIZES; do
    for kind in apps mimetypes; do
        src="$HERE/share/icons/hicolor/${n}x${n}/$kind"
        [ -d "$src" ] || continue
        mkdir -p "$SHARE/icons/hicolor/${n}x${n}/$kind"
        cp "$src"/*.png "$SHARE/icons/hicolor/${n}x${n}/$kind/"
    done
done
mkdir -p "$SHARE/icons/hicolor/scalable/apps"
cp "$HERE/share/icons/hicolor/scalable/apps/dossier.svg" "$SHARE/icons/hicolor/scalable/apps/dossier.svg"
refresh

echo "Dossier installed in $APP"
echo "Start it from the applications menu, by double-clicking a .dossier file, or with: $BIN/dossier"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(add $BIN to your PATH to type just 'dossier')" ;; esac
