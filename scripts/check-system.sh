#!/usr/bin/env bash
# Checks what VirtQuest needs from the system: Python's venv module, the shared libraries Qt loads,
# and a font that covers Hangul. As root on Debian/Ubuntu it installs what is missing with apt-get;
# otherwise it prints the exact command to run.
set -u

missing=()
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
has_lib 'libEGL.so.1'          || missing+=(libegl1)
has_lib 'libGL.so.1'           || missing+=(libgl1)
has_lib 'libxkbcommon.so.0'    || missing+=(libxkbcommon0)
has_lib 'libfontconfig.so.1'   || missing+=(libfontconfig1)
has_lib 'libdbus-1.so.3'       || missing+=(libdbus-1-3)
has_lib 'libxkbcommon-x11.so.0' || missing+=(libxkbcommon-x11-0)
has_lib 'libxcb-cursor.so.0'   || missing+=(libxcb-cursor0)
if ! command -v fc-list >/dev/null 2>&1; then
  missing+=(fontconfig fonts-nanum)
elif [ -z "$(fc-list :lang=ko family 2>/dev/null | head -n 1)" ]; then
  missing+=(fonts-nanum)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages VirtQuest needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
      echo "Could not install: ${missing[*]}. Try: sudo $cmd" >&2; exit 1; }
  fi
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1
else
  echo "VirtQuest needs these system packages: ${missing[*]}"
  echo "Install them with:  sudo $cmd"
  echo "(Without a Korean font the app runs in English and says so.)"
fi
exit 0
