"""The README's two commands: CI runs exactly the test command; the first one builds and serves."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def test_readme_has_two_commands_and_ci_runs_the_second():
    commands = quick_start_commands()
    assert len(commands) == 2
    ci = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert commands[1] in ci
    assert [line for line in ci if line.startswith("python3 ")] == [commands[1]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_first_command_builds_and_serves(tmp_path):
    command = quick_start_commands()[0].split()
    assert command[:2] == ["python3", "dev.py"]
    port = free_port()
    process = subprocess.Popen([sys.executable, "dev.py", *command[2:], "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        announced = ""
        deadline = time.monotonic() + 300
        while "http://localhost" not in announced and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            announced += line
        assert f"http://localhost:{port}/" in announced, announced
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/index.html", timeout=10) as response:
            assert response.status == 200
            assert b'<html lang="en" dir="ltr">' in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "العربية" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)
