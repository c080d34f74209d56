"""A local SPARQL endpoint: the Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1.

The graph is bulk-loaded into a store in a temporary folder, which the
server then opens read-only (``oxigraph serve-read-only``): nobody can change
it through the endpoint. The folder is removed when the server stops.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError

HOST = "127.0.0.1"
START_TIMEOUT = 30.0


def oxigraph_program() -> str:
    """The ``oxigraph`` command: beside this Python (a venv's bin/) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the Oxigraph server is not installed; install it with: pip install oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running Oxigraph server and the temporary folder holding its store."""

    process: subprocess.Popen
    port: int
    folder: tempfile.TemporaryDirectory

    @property
    def url(self) -> str:
        """The server's root: Oxigraph serves its query page (YASGUI) here."""
        return f"http://{HOST}:{self.port}/"

    @property
    def query_url(self) -> str:
        return f"http://{HOST}:{self.port}/query"

    def stop(self) -> int:
        """Stop the server (if still running), remove its store, and return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.folder.cleanup()
        return self.process.returncode


def start(ntriples: bytes | None, port: int, *, read_only: bool = True,
          query_timeout: float | None = None, cors: bool = False) -> Server:
    """Start an Oxigraph server on 127.0.0.1:``port`` and wait until it listens.

    Args:
        ntriples: the graph to load first; None for an empty store.
        port: the port to listen on (0: pick a free one).
        read_only: serve with ``serve-read-only`` (no updates, no Graph Store writes).
        query_timeout: the server's own limit on each query, in seconds.
        cors: allow cross-origin requests (for a query page served from elsewhere).

    Returns:
        The running server; call ``stop()`` when done.

    Raises:
        ServerError: Oxigraph is missing, refused the graph, or did not start.
    """
    program = oxigraph_program()
    port = port or free_port()
    folder = tempfile.TemporaryDirectory(prefix="dispute-kg-serve-")
    store, log = Path(folder.name) / "store", Path(folder.name) / "server.log"
    command = [program, "serve-read-only" if read_only else "serve", "--location", str(store),
               "--bind", f"{HOST}:{port}"]
    if query_timeout:
        command += ["--timeout-s", str(max(1, round(query_timeout)))]
    if cors:
        command.append("--cors")
    try:
        if ntriples is not None:
            loaded = subprocess.run([program, "load", "--location", str(store), "--format", "nt"],
                                    input=ntriples, capture_output=True)
            if loaded.returncode != 0:
                raise ServerError("oxigraph could not load the graph: "
                                  + _message(loaded.stderr.decode("utf-8", "replace")))
        with open(log, "wb") as handle:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle,
                                       stderr=subprocess.STDOUT)
    except BaseException:
        folder.cleanup()
        raise
    server = Server(process, port, folder)
    try:
        _wait_until_listening(server, log)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_listening(server: Server, log: Path) -> None:
    """Wait for Oxigraph's own "Listening" line: a connect test would be fooled by any other
    program on that port."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if server.process.poll() is not None:
            raise ServerError(f"the Oxigraph server exited (code {server.process.returncode}) "
                              f"before listening on {HOST}:{server.port}: {_message(text)}")
        if "Listening for requests" in text:
            return
        time.sleep(0.05)
    raise ServerError(f"the Oxigraph server did not listen on {HOST}:{server.port} "
                      f"within {START_TIMEOUT:g} s")


def _message(output: str) -> str:
    """Oxigraph's error message without the backtrace it adds when RUST_BACKTRACE is set."""
    return output.split("Stack backtrace:")[0].strip()
