#!/usr/bin/env bash
# Install the Debian packages the app and the test suite need, only when missing (PostgreSQL, Chromium,
# Dovecot, poppler, mat2, Redis).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# mat2 removes metadata from reporters' files (it brings PyGObject, Poppler, GdkPixbuf, pycairo, mutagen);
# exiftool is what it uses for GIF and PNG.
[ -d /usr/lib/python3/dist-packages/libmat2 ] || need+=(mat2)
command -v exiftool >/dev/null 2>&1 || need+=(libimage-exiftool-perl)
# The limit tests start their own redis-server (several hosts sharing their counters).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages present"
  exit 0
fi
echo "installing: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts a cluster and a Redis on install; the tests run their own, so stop the packaged ones.
if command -v service >/dev/null 2>&1; then
  $SUDO service postgresql stop >/dev/null 2>&1 || true
  $SUDO service redis-server stop >/dev/null 2>&1 || true
fi
