"""Headless Chromium for the page tests: no host name resolves, so a page must need no network."""

from __future__ import annotations

import subprocess

from tests.conftest import require_program


def chromium(tmp_path, url: str, *args: str) -> subprocess.CompletedProcess:
    """Run Chromium on ``url`` (with ``--dump-dom`` or ``--screenshot=...`` among ``args``)."""
    program = require_program("chromium", "Debian: apt-get update && apt-get install -y chromium")
    command = [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
               "--enable-logging=stderr", "--v=0", *args, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


#: Lets the page's queued tasks run before the DOM is dumped: a blocked load's
#: ``securitypolicyviolation`` event is dispatched after the load, and on a busy machine
#: ``--dump-dom`` alone can come first.
SETTLE = "--virtual-time-budget=3000"


def page_console(done: subprocess.CompletedProcess) -> list[str]:
    """Console messages (console.*, uncaught errors, blocked loads) that came from the page."""
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line and "source: file://" in line]
