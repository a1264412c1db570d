"""Starting the app where no window can open: one line on stderr and exit status 2, before Qt
starts, instead of Qt's abort (virtquest/commands/display.py)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from virtquest.commands import display
from virtquest.commands.app import start_app
from virtquest.commands.display import (
    debian_package,
    display_problem,
    missing_from_ldd,
    missing_xcb_libraries,
    x_server_listening,
)

ROOT = Path(__file__).resolve().parent.parent
DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")

# What `ldd libqxcb.so` prints on a system without two of the xcb utility libraries.
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd5b9f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f5b)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f5b231e2000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-image.so.0 => /lib/x86_64-linux-gnu/libxcb-image.so.0 (0x00007f5b231d4000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f5b2339c000)
"""


def never(*_args):
    raise AssertionError("this probe must not run here")


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DISPLAY_VARS}
    env.update(extra)
    return env


def run_virtquest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "virtquest", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


# -- the whole command ---------------------------------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")
def test_no_display_is_one_line_and_status_2(tmp_path):
    done = run_virtquest(clean_env(VIRTQUEST_HOME=str(tmp_path)))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("virtquest: no display")
    for hint in ("DISPLAY", "desktop session", "xvfb-run virtquest", "QT_QPA_PLATFORM=offscreen"):
        assert hint in lines[0]
    assert done.stdout == ""
    assert not (tmp_path / "progress.sqlite3").exists()   # stopped before the app opened anything


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")
def test_no_display_never_loads_qt(tmp_path):
    code = ("import sys; from virtquest.cli import main; status = main([]); "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], "
            "'Qt was imported'; sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=clean_env(VIRTQUEST_HOME=str(tmp_path)), timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Qt was imported" not in done.stderr


def test_start_app_stops_before_the_gui(monkeypatch, capsys):
    for name in DISPLAY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(display.sys, "platform", "linux")
    monkeypatch.setitem(sys.modules, "virtquest.gui.app", None)   # importing it would fail
    assert start_app() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("virtquest: no display")


def test_offscreen_starts_without_a_display(tmp_path):
    env = clean_env(QT_QPA_PLATFORM="offscreen", VIRTQUEST_STARTUP_PROBE="1",
                    VIRTQUEST_HOME=str(tmp_path))
    done = run_virtquest(env)
    assert done.returncode == 0, done.stderr
    assert "virtquest:" not in done.stderr
    assert (tmp_path / "progress.sqlite3").exists()


def test_python_m_virtquest_version():
    done = run_virtquest(clean_env(), "--version")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"virtquest \d+\.\d+\.\S+\n", done.stdout)


# -- which platform Qt will use ------------------------------------------------------------------

@pytest.mark.parametrize("platform", ["offscreen", "vnc", "wayland", "minimal", "wayland;xcb",
                                      "eglfs", " offscreen "])
def test_an_explicit_platform_other_than_xcb_is_trusted(platform):
    env = {"QT_QPA_PLATFORM": platform}
    assert display_problem(env, system="linux", missing_libraries=never, listening=never) is None


def test_a_wayland_session_is_trusted():
    env = {"WAYLAND_DISPLAY": "wayland-0"}
    assert display_problem(env, system="linux", missing_libraries=never, listening=never) is None


@pytest.mark.parametrize("system", ["darwin", "win32"])
def test_macos_and_windows_are_not_checked(system):
    assert display_problem({}, system=system, missing_libraries=never, listening=never) is None


def test_no_display_at_all():
    message = display_problem({}, system="linux", missing_libraries=never, listening=never)
    assert message.startswith("no display to open the window on")
    assert "DISPLAY and WAYLAND_DISPLAY are not set" in message
    assert "\n" not in message


@pytest.mark.parametrize("platform", ["xcb", "xcb:nograb", "XCB"])
def test_xcb_asked_for_without_display(platform):
    env = {"QT_QPA_PLATFORM": platform, "WAYLAND_DISPLAY": "wayland-0"}
    message = display_problem(env, system="linux", missing_libraries=never, listening=never)
    assert "QT_QPA_PLATFORM=xcb and DISPLAY is not set" in message


def test_a_working_x_display_passes():
    env = {"DISPLAY": ":0"}
    assert display_problem(env, system="linux", missing_libraries=list,
                           listening=lambda _: True) is None
    # a display the check cannot probe (remote, forwarded) is given the benefit of the doubt
    assert display_problem({"DISPLAY": "localhost:10.0"}, system="linux",
                           missing_libraries=list, listening=lambda _: None) is None


def test_a_display_nobody_answers_on():
    message = display_problem({"DISPLAY": ":42"}, system="linux", missing_libraries=list,
                              listening=lambda _: False)
    assert message.startswith("no X server answers on DISPLAY=:42")
    assert "xvfb-run virtquest" in message


# -- missing libraries ---------------------------------------------------------------------------

def test_ldd_output_gives_each_missing_library_once():
    assert missing_from_ldd(LDD_OUTPUT) == [
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"]
    assert missing_from_ldd(LDD_OUTPUT.replace("not found", "/lib/x.so (0x1)")) == []


def test_missing_libraries_come_from_ldd_on_the_plugin(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    seen = []

    def fake_ldd(path):
        seen.append(path)
        return LDD_OUTPUT

    assert missing_xcb_libraries(fake_ldd, plugin) == [
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"]
    assert seen == [plugin]
    assert missing_xcb_libraries(lambda _: None, plugin) == []   # no ldd: nothing claimed


def test_missing_libraries_are_named_with_their_packages():
    missing = missing_from_ldd(LDD_OUTPUT)
    message = display_problem({"DISPLAY": ":0"}, system="linux",
                              missing_libraries=lambda: missing, listening=never)
    assert message.startswith("Qt's xcb platform plugin cannot load: libxcb-icccm.so.4, "
                              "libxcb-keysyms.so.1, libxkbcommon-x11.so.0 are missing")
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0" in message
    assert "scripts/check-system.sh" in message
    assert "\n" not in message


def test_one_missing_library():
    message = display_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, system="linux",
                              missing_libraries=lambda: ["libxcb-cursor.so.0"], listening=never)
    assert "libxcb-cursor.so.0 is missing" in message
    assert "install it with `sudo apt-get install libxcb-cursor0`" in message


def test_the_real_plugin_is_found_and_probed():
    plugin = display.xcb_plugin()
    if plugin is None:
        pytest.skip("this PySide6 has no xcb plugin")
    assert plugin.name == "libqxcb.so"
    # whatever this machine has, the probe answers with library names only
    assert all(".so" in name for name in missing_xcb_libraries(plugin=plugin))


def test_package_names_follow_debian():
    assert debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert debian_package("libX11-xcb.so.1") == "libx11-xcb1"
    assert debian_package("libdbus-1.so.3") == "libdbus-1-3"
    assert debian_package("libEGL.so.1") == "libegl1"
    assert debian_package("libglib-2.0.so.0") == "libglib2.0-0"


def test_the_system_script_knows_the_same_packages():
    """scripts/check-system.sh keeps a table of library → package; the message's rule agrees."""
    script = (ROOT / "scripts" / "check-system.sh").read_text(encoding="utf-8")
    table = re.search(r"^LIBRARIES=\((.*?)^\)", script, re.MULTILINE | re.DOTALL).group(1)
    pairs = re.findall(r"^\s+(\S+\.so\.\d+)\s+(\S+)\s*$", table, re.MULTILINE)
    assert len(pairs) >= 20
    for soname, package in pairs:
        assert debian_package(soname) == package, soname
    sonames = {soname for soname, _ in pairs}
    for needed in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
                   "libxcb-render-util.so.0", "libxcb-shape.so.0", "libxcb-randr.so.0",
                   "libxcb-xfixes.so.0", "libxcb-sync.so.1", "libxcb-xkb.so.1",
                   "libxcb-cursor.so.0", "libxkbcommon-x11.so.0"):
        assert needed in sonames


def test_the_system_script_parses():
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "check-system.sh")], check=True)


# -- is an X server listening --------------------------------------------------------------------

PROC_NET_UNIX = """\
Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 20516 @{dir}/X99
0000000000000000: 00000002 00000000 00010000 0001 01 20517 {dir}/X7
0000000000000000: 00000003 00000000 00000000 0001 03 20530
0000000000000000: 00000002 00000000 00010000 0001 01 20518 /run/user/1000/bus
"""


def test_x_server_listening_reads_the_kernel_socket_table(tmp_path):
    sockets = tmp_path / "x11"   # no socket files: only the table can answer
    table = tmp_path / "unix"
    table.write_text(PROC_NET_UNIX.format(dir=sockets), encoding="utf-8")
    # an abstract socket, or the socket file of another mount namespace, named in the table
    assert x_server_listening(":99", sockets=sockets, proc_net_unix=table) is True
    assert x_server_listening(":99.0", sockets=sockets, proc_net_unix=table) is True
    assert x_server_listening("unix:7", sockets=sockets, proc_net_unix=table) is True
    assert x_server_listening(":8", sockets=sockets, proc_net_unix=table) is False
    assert x_server_listening(":99", sockets=tmp_path / "other", proc_net_unix=table) is False
    # no table to read: cannot tell
    assert x_server_listening(":8", sockets=sockets, proc_net_unix=tmp_path / "none") is None


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_x_server_listening_sees_a_socket_file(tmp_path):
    sockets = Path(tempfile.mkdtemp(prefix="x11-", dir="/tmp"))   # short: sun_path is 108 bytes
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
            server.bind(str(sockets / "X5"))
            server.listen(1)
            assert x_server_listening(":5", sockets=sockets,
                                      proc_net_unix=tmp_path / "none") is True
        (sockets / "X5").unlink()
        (sockets / "X5").write_text("not a socket")
        assert x_server_listening(":5", sockets=sockets, proc_net_unix=tmp_path / "none") is None
    finally:
        shutil.rmtree(sockets)


@pytest.mark.skipif(not Path("/proc/net/unix").exists(), reason="needs Linux's /proc/net/unix")
def test_x_server_listening_sees_a_real_abstract_socket(tmp_path):
    sockets = tmp_path / "x11"   # no files here: only the abstract socket can answer
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(f"\0{sockets}/X42")
    with server:
        server.listen(1)
        assert x_server_listening(":42", sockets=sockets) is True
    assert x_server_listening(":42", sockets=sockets) is False


@pytest.mark.parametrize("value", ["localhost:10.0", "otherhost:0", "/tmp/launchd/org.x:0", ""])
def test_x_server_listening_does_not_guess_about_other_displays(value):
    assert x_server_listening(value) is None
