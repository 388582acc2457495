#!/usr/bin/env bash
# Installs the Debian packages zonehero needs, only when they are missing.
#   scripts/system-deps.sh runtime   the CJK font embedded in PDF reports
#   scripts/system-deps.sh test      runtime + PostgreSQL server, Chromium, poppler-utils (pdftoppm)
# Runs as root on CI and developer machines (see shared/notes/machine.md); uses sudo otherwise.
set -euo pipefail
kind=${1:-test}
need=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ "$kind" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -f /usr/lib/chromium/locales/zh-CN.pak ] || need+=(chromium-l10n)  # a Chinese browser: date fields read 年/月/日
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
