#!/usr/bin/env python3
"""Bootstrap: ``python3 dev.py <task> [args]`` runs an invoke task inside ``.venv``.

Needs only Python 3.11 and git.  Creates ``.venv`` and installs the pinned
``requirements.txt`` on first use (and again whenever that file changes), then
runs ``invoke <task>`` from the virtual environment.  ``python3 dev.py reserve``
builds the demo site and serves it; ``python3 dev.py test`` runs every test.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"
# Debian packages the test suite drives for real (command -> package), installed when missing.
TEST_SYSTEM_PACKAGES = {
    "chromium": "chromium",
    "newsboat": "newsboat",
    "java": "default-jre-headless",
    "npm": "npm",
    "rsync": "rsync",
    "exiftool": "libimage-exiftool-perl",  # tests/test_safety_images.py: no metadata in output images
}


def ensure_venv() -> None:
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing pinned requirements …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")


def ensure_system_packages(packages: dict[str, str]) -> None:
    """Install missing Debian packages (as root, with apt-get); otherwise say what is missing."""
    missing = sorted({package for command, package in packages.items() if shutil.which(command) is None})
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit(
            f"dev.py: the tests need these Debian packages: {' '.join(missing)} — install them and re-run"
        )
    print(f"Installing Debian packages: {' '.join(missing)} …", flush=True)
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing], check=True, env=quiet, stdout=subprocess.DEVNULL
    )


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print(
            f"warning: this project is pinned for Python 3.11; running {sys.version.split()[0]}",
            file=sys.stderr,
        )
    ensure_venv()
    args = sys.argv[1:] or ["--list"]
    if args[0] == "test":
        ensure_system_packages(TEST_SYSTEM_PACKAGES)
    return subprocess.call([str(BIN / "invoke"), *args], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
