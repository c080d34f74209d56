"""A real Virtuoso Open Source server for the tests (Debian's ``virtuoso-opensource``).

Each server gets a temporary folder holding its database and a
``virtuoso.ini`` written for it: both listeners on 127.0.0.1 at free ports,
only that folder readable by the bulk loader (``DirsAllowed``), and no result
row limit below the graph's size. It starts in a few seconds; ``stop()``
ends it and removes the folder. The ``dba`` password is set to a random one
at start (through isql's standard input, never its command line).

Virtuoso has no writable default graph of its own: its default dataset is the
union of every graph, system graphs included. ``default_graph`` gives the
HTTP endpoint one (a row of ``DB.DBA.SYS_SPARQL_HOST``, as the README tells
users), so that pushing to "the default graph" and querying it mean what they
mean on other stores.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.query.serve import free_port

HOST = "127.0.0.1"
START_TIMEOUT = 60.0
INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {load}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {db}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass
class Virtuoso:
    """A running Virtuoso server, its ports, its ``dba`` password and its folder."""

    process: subprocess.Popen
    folder: Path
    sql_port: int
    http_port: int
    password: str
    isql: str

    @property
    def query_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql"

    @property
    def load_dir(self) -> Path:
        """The one folder the bulk loader may read (DirsAllowed)."""
        return self.folder / "load"

    def sql(self, statements: str, password: str | None = None) -> str:
        """Run SQL statements with isql as ``dba``; their output, or an AssertionError with it."""
        done = subprocess.run([self.isql, f"{HOST}:{self.sql_port}", "dba", password or self.password],
                              input=statements + "\n", capture_output=True, text=True, timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "*** Error" not in output, output
        return output

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(program: str, isql: str, default_graph: str | None = None) -> Virtuoso:
    """Start Virtuoso on free loopback ports with a new database; wait until it is online.

    Args:
        program: the ``virtuoso-t`` executable.
        isql: the ``isql-vt`` executable.
        default_graph: a graph the HTTP endpoint treats as its default graph, if any.
    """
    folder = Path(tempfile.mkdtemp(prefix="dispute-kg-virtuoso-"))
    (folder / "load").mkdir()
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    (folder / "virtuoso.ini").write_text(INI.format(db=folder, load=folder / "load", host=HOST,
                                                    sql_port=sql_port, http_port=http_port))
    log = folder / "server.out"
    with open(log, "wb") as handle:
        process = subprocess.Popen([program, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    server = Virtuoso(process, folder, sql_port, http_port, "dba", isql)
    try:
        _wait_until_online(server, log)
        password = secrets.token_hex(12)
        server.sql(f"USER_CHANGE_PASSWORD('dba', 'dba', '{password}');")
        server.password = password
        if default_graph:
            server.sql("INSERT INTO DB.DBA.SYS_SPARQL_HOST (SH_HOST, SH_GRAPH_URI) "
                       f"VALUES ('{HOST}:{http_port}', '{default_graph}');")
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_online(server: Virtuoso, log: Path) -> None:
    """Wait for Virtuoso's own "Server online" line (after its HTTP listener's)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if server.process.poll() is not None:
            raise RuntimeError(f"Virtuoso exited (code {server.process.returncode}) before it was "
                               f"online: {text[-2000:]}")
        if "HTTP server online" in text and "Server online at" in text:
            return
        time.sleep(0.1)
    raise RuntimeError(f"Virtuoso was not online within {START_TIMEOUT:g} s")
