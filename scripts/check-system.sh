#!/usr/bin/env bash
# Checks what VirtQuest needs from the system: Python's venv module, the shared libraries Qt loads
# (its xcb platform plugin included), and a font that covers Hangul. As root on Debian/Ubuntu it
# installs what is missing with apt-get; otherwise it prints the exact command to run. Silent when
# everything is there; always exits 0 (it informs, `make` goes on).
set -u

# Each shared library Qt needs on X11, and the Debian/Ubuntu package that ships it. The xcb ones
# are what `ldd` lists for PySide6's Qt/plugins/platforms/libqxcb.so (and Qt/lib/libQt6XcbQpa.so.6).
LIBRARIES=(
  libEGL.so.1             libegl1
  libGL.so.1              libgl1
  libfontconfig.so.1      libfontconfig1
  libdbus-1.so.3          libdbus-1-3
  libxkbcommon.so.0       libxkbcommon0
  libxkbcommon-x11.so.0   libxkbcommon-x11-0
  libX11-xcb.so.1         libx11-xcb1
  libxcb.so.1             libxcb1
  libxcb-cursor.so.0      libxcb-cursor0
  libxcb-icccm.so.4       libxcb-icccm4
  libxcb-image.so.0       libxcb-image0
  libxcb-keysyms.so.1     libxcb-keysyms1
  libxcb-randr.so.0       libxcb-randr0
  libxcb-render.so.0      libxcb-render0
  libxcb-render-util.so.0 libxcb-render-util0
  libxcb-shape.so.0       libxcb-shape0
  libxcb-shm.so.0         libxcb-shm0
  libxcb-sync.so.1        libxcb-sync1
  libxcb-util.so.1        libxcb-util1
  libxcb-xfixes.so.0      libxcb-xfixes0
  libxcb-xkb.so.1         libxcb-xkb1
)

missing=()        # packages to install
missing_libs=()   # the libraries they stand for
add() { case " ${missing[*]-} " in *" $1 "*) ;; *) missing+=("$1") ;; esac; }

# Debian's naming rule for a library not in the table: libfoo.so.1 is in libfoo1, and a name
# ending in a digit gets a hyphen (libfoo2.so.0 is in libfoo2-0).
package_of() {
  local so=$1 i name major
  for ((i = 0; i < ${#LIBRARIES[@]}; i += 2)); do
    [ "${LIBRARIES[i]}" = "$so" ] && { echo "${LIBRARIES[i+1]}"; return; }
  done
  case $so in libglib-2.0.so.*|libgthread-2.0.so.*|libgobject-2.0.so.*) echo libglib2.0-0; return ;; esac
  name=${so%%.so*}; major=${so#*.so.}; major=${major%%.*}; name=${name,,}
  case $name in *[0-9]) echo "$name-$major" ;; *) echo "$name$major" ;; esac
}

python3 -c 'import venv, ensurepip' 2>/dev/null || add python3-venv

# The linker cache, read once (ldconfig is in /sbin, often not on a user's PATH). Without it (not a
# glibc system) the libraries are not checked rather than all reported missing.
declare -A have=()
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
if [ -x "$ldconfig" ]; then
  while read -r name _; do have[$name]=1; done < <("$ldconfig" -p 2>/dev/null | tail -n +2)
fi
if [ ${#have[@]} -gt 0 ]; then
  for ((i = 0; i < ${#LIBRARIES[@]}; i += 2)); do
    [ -n "${have[${LIBRARIES[i]}]-}" ] && continue
    missing_libs+=("${LIBRARIES[i]}"); add "${LIBRARIES[i+1]}"
  done
fi

# Once the virtualenv exists, what the installed Qt's xcb plugin really lacks (a newer Qt may need
# a library the table does not know yet).
root=$(cd "$(dirname "$0")/.." && pwd)
for plugin in "$root"/.venv/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so; do
  [ -f "$plugin" ] && command -v ldd >/dev/null 2>&1 || continue
  while read -r so _; do
    case " ${missing_libs[*]-} " in *" $so "*) continue ;; esac
    missing_libs+=("$so"); add "$(package_of "$so")"
  done < <(ldd "$plugin" 2>/dev/null | grep '=> not found')
done

if ! command -v fc-list >/dev/null 2>&1; then
  add fontconfig; add fonts-nanum
elif [ -z "$(fc-list :lang=ko family 2>/dev/null | head -n 1)" ]; then
  add fonts-nanum
fi

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages VirtQuest needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
  if ! apt_install "${missing[@]}"; then
    apt-get update -qq >/dev/null 2>&1
    if ! apt_install "${missing[@]}"; then
      # One name unknown to this release must not keep the others out: one at a time.
      failed=()
      for package in "${missing[@]}"; do apt_install "$package" || failed+=("$package"); done
      [ ${#failed[@]} -gt 0 ] && echo "Could not install: ${failed[*]}. Try: sudo apt-get install ${failed[*]}" >&2
    fi
  fi
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null 2>&1
else
  echo "VirtQuest needs these system packages: ${missing[*]}"
  [ ${#missing_libs[@]} -gt 0 ] && echo "(missing libraries: ${missing_libs[*]})"
  echo "Install them with:  sudo $cmd"
  case " ${missing[*]} " in
    *" fonts-nanum "*) echo "(Without a Korean font the app runs in English and says so.)" ;;
  esac
fi
exit 0
