#!/usr/bin/env python3
"""Bootstrap: ``python3 dev.py <task> [args]`` runs an invoke task inside ``.venv``.

Needs only Python 3.11 and git.  Creates ``.venv`` and installs the pinned
``requirements.txt`` on first use (and again whenever that file changes), then
runs ``invoke <task>`` from the virtual environment.  ``python3 dev.py reserve``
builds the demo site and serves it; ``python3 dev.py test`` runs every test.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


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


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print(
            f"warning: this project is pinned for Python 3.11; running {sys.version.split()[0]}",
            file=sys.stderr,
        )
    ensure_venv()
    args = sys.argv[1:] or ["--list"]
    return subprocess.call([str(BIN / "invoke"), *args], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
