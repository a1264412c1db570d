"""The wheel carries every file the app needs: every Python package and every folder of shipped
data is listed in pyproject.toml, and every data file there matches a package-data pattern.
(.ci/check-install builds the wheel and runs the installed app from an empty folder.)"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from virtquest.emu import resources

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
MAPPED = {"virtquest.assets": ROOT / "assets", "virtquest.levels": ROOT / "levels"}


def _package_of(folder: Path) -> str:
    for name, root in MAPPED.items():
        if folder == root or root in folder.parents:
            return ".".join([name, *folder.relative_to(root).parts])
    return ".".join(folder.relative_to(ROOT).parts)


def test_every_python_package_is_listed():
    found = {_package_of(init.parent) for init in (ROOT / "virtquest").rglob("__init__.py")}
    assert found - set(CONFIG["packages"]) == set()


def test_every_shipped_file_goes_into_the_wheel():
    assert {name: ROOT / path for name, path in CONFIG["package-dir"].items()} == MAPPED
    missing = []
    for root in MAPPED.values():
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            package = _package_of(file.parent)
            patterns = CONFIG["package-data"].get(package, [])
            if package not in CONFIG["packages"] or not any(
                    fnmatch.fnmatch(file.name, pattern) for pattern in patterns):
                missing.append(str(file.relative_to(ROOT)))
    assert missing == []


def test_a_checkout_reads_its_own_folders():
    # Installed, the same names point inside the package (virtquest/assets, virtquest/levels).
    assert resources.ASSETS == ROOT / "assets"
    assert resources.LEVELS == ROOT / "levels"
    assert (resources.GUEST / "minios.s").is_file()
    assert any(resources.QUIZZES.glob("*.yaml"))


def test_shipped_files_are_found_only_through_resources():
    """A path built from a module's own location (`__file__`, `.parent.parent`) works in a
    checkout and breaks in an installed wheel; emu/resources.py is the one place that knows."""
    offenders = []
    for module in sorted((ROOT / "virtquest").rglob("*.py")):
        if module.name == "resources.py" and module.parent.name == "emu":
            continue
        text = module.read_text(encoding="utf-8")
        if "__file__" in text or ".parent.parent" in text or "parents[" in text:
            offenders.append(str(module.relative_to(ROOT)))
    assert offenders == []


def test_a_package_in_a_zip_reads_its_data(tmp_path):
    """Imported from a zip (a wheel on sys.path, a zipapp), the package has no folders to read:
    its data comes out of the zip into a cache folder, and the app sees all of it."""
    import json
    import os
    import subprocess
    import sys
    import zipfile

    archive = tmp_path / "virtquest.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for file in (ROOT / "virtquest").rglob("*.py"):
            packed.write(file, file.relative_to(ROOT).as_posix())
        for name, root in MAPPED.items():
            inside = name.replace(".", "/")
            for file in (p for p in root.rglob("*") if p.is_file()):
                packed.write(file, f"{inside}/{file.relative_to(root).as_posix()}")
    env = dict(os.environ, PYTHONPATH=str(archive), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    out = subprocess.run([sys.executable, "-m", "virtquest", "levels", "--json"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True)
    assert len(json.loads(out.stdout)) == len(list(resources.LEVELS.glob("*.yaml")))
    assert list((tmp_path / "tmp").glob("virtquest-*/assets/guest/minios.s"))
