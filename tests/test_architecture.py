"""The layers of STYLE.md hold: import-linter's contracts pass, and the core never imports Qt."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_core_runs_without_qt():
    code = (
        "import sys, virtquest.emu.cpu, virtquest.emu.asm, virtquest.cli;"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_ruff_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "virtquest", "tests"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


def test_no_dead_code():
    """vulture, with the settings and whitelist of pyproject.toml's [tool.vulture]."""
    result = subprocess.run([sys.executable, "-m", "vulture"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
