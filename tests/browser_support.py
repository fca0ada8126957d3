"""For browser tests: the app's server (`make run`'s command, observatory.ui.serve) on a free
local port over a data folder, stopped when the block ends (the Chromium and tab fixtures are
in conftest.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(data_dir: Path, log: Path | None = None) -> Iterator[str]:
    """The base URL of a server on 127.0.0.1 over `data_dir`, once it answers its health check
    (`log`: the file its output goes to, read by the test after the block)."""
    port = free_port()
    env = {**os.environ, "OBSERVATORY_DATA_DIR": str(data_dir), "OBSERVATORY_WARM": "0"}
    sink = log.open("wb") if log else subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-m", "observatory.ui.serve", "--address", "127.0.0.1", "--port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = (process.stdout.read().decode(errors="replace") if process.stdout
                          else log.read_text(errors="replace") if log else "")
                pytest.fail(f"the server did not start:\n{output[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        if log:
            sink.close()

