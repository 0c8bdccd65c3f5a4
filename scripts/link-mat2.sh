#!/usr/bin/env bash
# Make Debian's mat2 (libmat2) usable from the project's virtualenv.
# libmat2 needs PyGObject with the Poppler and GdkPixbuf typelibs, pycairo and mutagen. PyPI's PyGObject and
# pycairo build from source against the GObject headers, so the Debian packages are used instead: their
# modules are linked into a folder of their own, which a .pth file adds to the venv's path (not the whole of
# dist-packages, so no other Debian module shadows or joins the venv's pinned packages).
set -euo pipefail
venv="${1:-.venv}"
dist=/usr/lib/python3/dist-packages
if [ ! -d "$dist/libmat2" ] || ! command -v exiftool >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mat2 libimage-exiftool-perl \
    >/dev/null
fi
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
links="$(cd "$venv" && pwd)/debian-mat2"
mkdir -p "$links"
for module in libmat2 gi cairo mutagen; do ln -sfn "$dist/$module" "$links/$module"; done
echo "$links" > "$site/caseflow-debian-mat2.pth"
"$venv/bin/python" -c 'import libmat2; from libmat2 import parser_factory' && echo "mat2 linked into $venv"
