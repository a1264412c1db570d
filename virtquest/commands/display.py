"""Can the app open a window here? Checked before Qt starts, so that a machine with no display, or
without a library Qt's xcb platform plugin needs, gets one line saying what to do instead of Qt's
abort ("could not connect to display", "Aborted (core dumped)").

Only Linux is checked; macOS and Windows always have a display. The check is cheap, and runs only
when Qt would pick its xcb platform: a few environment variables, one `ldd` of the xcb plugin and
a look for a local X server's socket.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# Qt's X11 platform plugin: the only one checked. An explicit choice of any other (offscreen, vnc,
# wayland, "wayland;xcb" ...) is trusted as it is.
XCB = "xcb"
CHECK_SCRIPT = "scripts/check-system.sh"

# Debian/Ubuntu package names that do not follow the usual rule (see `debian_package`).
PACKAGE_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
}


def requested_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins QT_QPA_PLATFORM asks for, in order ("wayland;xcb", "xcb:nograb" ...),
    without their options; empty when it is unset."""
    value = env.get("QT_QPA_PLATFORM", "").strip()
    return [item.split(":", 1)[0].strip().lower() for item in value.split(";") if item.strip()]


def will_use_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt will load its xcb plugin: asked for by name only, or chosen by default because no
    Wayland compositor is announced."""
    platforms = requested_platforms(env)
    if platforms:
        return platforms == [XCB]
    return not env.get("WAYLAND_DISPLAY")


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package shipping a shared library, by Debian's naming rule: libfoo.so.1
    is in libfoo1, and a name ending in a digit gets a hyphen (libxkbcommon-x11.so.0 is in
    libxkbcommon-x11-0)."""
    if soname in PACKAGE_EXCEPTIONS:
        return PACKAGE_EXCEPTIONS[soname]
    name, _, version = soname.partition(".so")
    major = version.lstrip(".").split(".", 1)[0]
    name = name.lower()
    if not major:
        return name
    return f"{name}-{major}" if name[-1].isdigit() else f"{name}{major}"


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the installed PySide6, found without importing Qt."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def run_ldd(path: Path) -> str | None:
    """`ldd path`'s output, or None when ldd is missing or fails."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=5,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def missing_from_ldd(output: str) -> list[str]:
    """The libraries `ldd` could not find, each once, in the order it lists them."""
    return list(dict.fromkeys(NOT_FOUND.findall(output)))


def missing_xcb_libraries(ldd: Callable[[Path], str | None] = run_ldd,
                          plugin: Path | None = None) -> list[str]:
    """The shared libraries the xcb plugin needs and the system lacks (empty when unknown)."""
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return []
    output = ldd(plugin)
    return missing_from_ldd(output) if output else []


LOCAL_DISPLAY = re.compile(r"^(?:unix)?:(\d+)(?:\.\d+)?$")
X11_SOCKETS = Path("/tmp/.X11-unix")
PROC_NET_UNIX = Path("/proc/net/unix")


def x_server_listening(display: str, *, sockets: Path = X11_SOCKETS,
                       proc_net_unix: Path = PROC_NET_UNIX) -> bool | None:
    """Whether an X server listens on a local display such as ":0": its socket file is there
    (/tmp/.X11-unix/X0), or its abstract socket (@/tmp/.X11-unix/X0) is among the kernel's Unix
    sockets. None when that cannot be told: a remote or unusual DISPLAY, no /proc. Nothing is
    connected to."""
    match = LOCAL_DISPLAY.match(display.strip())
    if not match:
        return None
    path = sockets / f"X{match.group(1)}"
    try:
        if stat.S_ISSOCK(path.stat().st_mode):
            return True
    except OSError:
        pass
    try:
        table = proc_net_unix.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    names = {"@" + path.as_posix(), path.as_posix()}
    return any(line.split()[-1] in names for line in table.splitlines()[1:]
               if len(line.split()) >= 8)


def no_display_message(env: Mapping[str, str]) -> str:
    why = ("QT_QPA_PLATFORM=xcb and DISPLAY is not set" if requested_platforms(env)
           else "DISPLAY and WAYLAND_DISPLAY are not set")
    return (f"no display to open the window on ({why}): start VirtQuest from a desktop "
            "session, or under a virtual X server with `xvfb-run virtquest`; for screenshots "
            "without a display, use `virtquest screenshot` or set QT_QPA_PLATFORM=offscreen")


def unreachable_display_message(display: str) -> str:
    return (f"no X server answers on DISPLAY={display}: start VirtQuest from a desktop session, "
            "set DISPLAY to a running X server, or use `xvfb-run virtquest`")


def missing_libraries_message(missing: list[str]) -> str:
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    return (f"Qt's xcb platform plugin cannot load: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing; on Debian/Ubuntu install "
            f"{'it' if len(missing) == 1 else 'them'} with `sudo apt-get install {packages}` "
            f"(from a source checkout: `bash {CHECK_SCRIPT}`)")


def display_problem(env: Mapping[str, str] | None = None, *, system: str | None = None,
                    missing_libraries: Callable[[], list[str]] = missing_xcb_libraries,
                    listening: Callable[[str], bool | None] = x_server_listening) -> str | None:
    """Why the app cannot open a window here, as one sentence; None when it (probably) can.

    `env` defaults to the process environment and `system` to sys.platform; `missing_libraries`
    and `listening` are the probes of the system, replaceable in tests."""
    env = os.environ if env is None else env
    system = sys.platform if system is None else system
    if not system.startswith("linux") or not will_use_xcb(env):
        return None
    display = env.get("DISPLAY", "").strip()
    if not display:
        return no_display_message(env)
    missing = missing_libraries()
    if missing:
        return missing_libraries_message(missing)
    if listening(display) is False:
        return unreachable_display_message(display)
    return None
