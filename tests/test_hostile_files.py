"""Hostile files and paths (issue 13, causes 1, 2, 8, 13-18): every refusal is exit 2 with a
one-line message, nothing hangs, and nothing that was there before is lost or changed.

Anything that could hang if a guard regressed (FIFOs, locks) runs in a real process with a
time limit, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import os
import re
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import cache
from kg.errors import InputFileError, OutputError, QueryError, RDFInputError
from kg.files import (CHECKSUMS, QUERY_FILE_LIMIT, RELEASE_FORMAT, RELEASE_MARKER, check_release_target,
                      publish_directory, read_input, release_problem)
from tests.conftest import DATA, run_command

SEED = DATA / "seed-facts"
IS_ROOT = os.geteuid() == 0


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry below ``folder`` (not following links): type and bytes, link target or device."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            info = os.lstat(path)
            key = str(path.relative_to(folder))
            if stat.S_ISLNK(info.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                found[key] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
            else:
                found[key] = (stat.S_IFMT(info.st_mode), info.st_rdev)
    return found


def fake_release(extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """A small release as the pipeline makes one: files, the marker, SHA256SUMS over both."""
    from kg.publish.release import checksums

    files = {"a.ttl": b"<http://x/a> <http://x/b> <http://x/c> .\n", "b.txt": b"b\n",
             RELEASE_MARKER: RELEASE_FORMAT, **(extra or {})}
    files[CHECKSUMS] = checksums(files)
    return files


def write_release(folder: Path, files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (files or fake_release()).items():
        (folder / name).write_bytes(data)
    return folder


def no_staging_left(parent: Path) -> bool:
    return not [p for p in parent.iterdir() if ".staging-" in p.name or ".previous-" in p.name]


def run_command_line(*args) -> list[str]:
    return [str(Path(sys.executable).with_name("dispute-kg")), *map(str, args)]


def run_cli(*args, timeout=120, env=None, cwd=None):
    """The console script in a real process, with a time limit: a hang fails the test."""
    return run_command(*args, timeout=timeout, env={**os.environ, **(env or {})}, cwd=cwd)


@pytest.fixture
def no_hang():
    """Fail an in-process test that would block (on a FIFO, say) instead of hanging the suite."""
    import signal

    def stop(signum, frame):
        pytest.fail("blocked for 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def unwritable(tmp_path):
    """A folder nothing can be created in: immutable (chattr +i) as root, read-only (0555) otherwise."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if IS_ROOT:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"this file system cannot make a folder immutable: {done.stderr.strip()}")
        yield folder
        subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


def lock_folder(folder: Path) -> None:
    """Make a folder that already has content unchangeable, whoever we are."""
    if IS_ROOT:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)


def unlock_folder(folder: Path) -> None:
    if IS_ROOT:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o755)


# ---------------------------------------------------------------------------
# Cause 1: build --out replaces only a previous release
# ---------------------------------------------------------------------------

def test_a_release_is_recognised_by_its_marker_and_checksums(tmp_path):
    folder = write_release(tmp_path / "dist")
    assert release_problem(folder) is None
    published = publish_directory(folder, fake_release({"c.txt": b"new\n"}))
    assert {p.name for p in published} == {"a.ttl", "b.txt", "c.txt", RELEASE_MARKER, CHECKSUMS}
    assert release_problem(folder) is None and (folder / "c.txt").read_bytes() == b"new\n"
    assert not (folder / f".{folder.name}.lock").exists(), "the lock lives beside the folder"
    assert (tmp_path / ".dist.lock").is_file() and no_staging_left(tmp_path)


def test_a_new_or_empty_folder_is_fine(tmp_path):
    publish_directory(tmp_path / "new" / "deeper" / "dist", fake_release())
    assert release_problem(tmp_path / "new" / "deeper" / "dist") is None
    (tmp_path / "empty").mkdir()
    publish_directory(tmp_path / "empty", fake_release())
    assert release_problem(tmp_path / "empty") is None


def _damage_extra_file(folder):
    (folder / "thesis.txt").write_text("my thesis\n")


def _damage_edit(folder):
    with open(folder / "b.txt", "ab") as handle:
        handle.write(b"edited\n")


def _damage_missing(folder):
    (folder / "a.ttl").unlink()


def _damage_no_marker(folder):
    (folder / RELEASE_MARKER).unlink()


def _damage_unknown_format(folder):
    (folder / RELEASE_MARKER).write_bytes(b"dispute-kg release format 99\n")


def _damage_no_checksums(folder):
    (folder / CHECKSUMS).unlink()


def _damage_garbage_checksums(folder):
    (folder / CHECKSUMS).write_bytes(b"this is not a checksum line\n")


def _damage_subfolder(folder):
    (folder / "notes").mkdir()
    (folder / "notes" / "n.txt").write_text("n\n")


def _damage_link_instead_of_file(folder):
    (folder / "outside.txt").write_bytes(b"b\n")
    (folder / "b.txt").unlink()
    (folder / "b.txt").symlink_to(folder / "outside.txt")


def _damage_marker_is_a_folder(folder):
    (folder / RELEASE_MARKER).unlink()
    (folder / RELEASE_MARKER).mkdir()


DAMAGES = {"a file the user added": (_damage_extra_file, "not part of a release: thesis.txt"),
           "an edited file": (_damage_edit, "b.txt was changed since it was written"),
           "a missing file": (_damage_missing, "a.ttl, listed in SHA256SUMS, is missing"),
           "no marker": (_damage_no_marker, "no .dispute-kg-release marker"),
           "an unknown format": (_damage_unknown_format, "format this version does not know"),
           "no checksums": (_damage_no_checksums, "SHA256SUMS is missing"),
           "garbage checksums": (_damage_garbage_checksums, "line that is not"),
           "a subfolder": (_damage_subfolder, "not part of a release: notes"),
           "a link for a file": (_damage_link_instead_of_file, "not part of a release: outside.txt"),
           "a marker that is a folder": (_damage_marker_is_a_folder, "is missing or not a regular file")}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_folder_that_is_not_an_intact_release_is_refused(tmp_path, damage):
    folder = write_release(tmp_path / "dist")
    change, reason = DAMAGES[damage]
    change(folder)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="it is not a dispute-kg release") as caught:
        publish_directory(folder, fake_release())
    assert reason in str(caught.value) and "--force" in str(caught.value)
    assert snapshot(tmp_path) == before, "nothing changed, not even a staging folder"


def test_force_replaces_a_folder_that_is_not_a_release(tmp_path):
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "old.txt").write_text("x\n")
    publish_directory(folder, fake_release(), force=True)
    assert release_problem(folder) is None and not (folder / "old.txt").exists()


def _regular_file(path):
    path.write_text("precious\n")


def _link_to_file(path):
    (path.parent / "target.txt").write_text("precious\n")
    path.symlink_to("target.txt")


def _fifo(path):
    os.mkfifo(path)


def _link_to_device(path):
    path.symlink_to("/dev/null")


def _dangling_loop(path):
    path.symlink_to(path.name)


NOT_FOLDERS = {"a regular file": (_regular_file, "it is a regular file, not a folder"),
               "a link to a file": (_link_to_file, "it is a regular file"),
               "a FIFO": (_fifo, "it is a FIFO"),
               "a link to a device": (_link_to_device, "it is a character device"),
               "a symbolic link loop": (_dangling_loop, "symbolic link that leads nowhere")}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", NOT_FOLDERS, ids=list(NOT_FOLDERS))
def test_what_is_not_a_folder_is_never_replaced_nor_moved(tmp_path, kind, force, no_hang):
    make, reason = NOT_FOLDERS[kind]
    target = tmp_path / "out"
    make(target)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match=reason):
        publish_directory(target, fake_release(), force=force)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["/", "/usr", "/tmp", "home", "home's parent", "cwd", "cwd's parent",
                                   "the facts"])
def test_protected_folders_are_refused_even_with_force(tmp_path, monkeypatch, where):
    home = tmp_path / "home" / "me"
    work = tmp_path / "work" / "project"
    inputs = tmp_path / "inputs"
    for folder in (home, work, inputs / "facts"):
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("mine\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    target, reason = {"home": (home, "your home folder"), "home's parent": (home.parent, "your home folder"),
                      "cwd": (Path("."), "the current folder"), "cwd's parent": (Path(".."), "the current folder"),
                      "the facts": (inputs, "this build's input"), "/": (Path("/"), "the root folder"),
                      "/usr": (Path("/usr"), "a system folder"),
                      "/tmp": (Path("/tmp"), "folder or holds it")}[where]
    before = snapshot(tmp_path)
    for force in (False, True):
        with pytest.raises(OutputError, match=f"{reason}.*not even --force replaces it"):
            check_release_target(target, force, keep=[inputs / "facts"])
    assert snapshot(tmp_path) == before


def test_a_link_to_a_release_stays_a_link(tmp_path):
    real = write_release(tmp_path / "releases" / "v1")
    link = tmp_path / "dist"
    link.symlink_to(real)
    publish_directory(link, fake_release({"c.txt": b"c\n"}))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "c.txt").read_bytes() == b"c\n" and release_problem(real) is None


@pytest.mark.parametrize("out", ["plainfile/dist", "plainfile/a/b"])
def test_out_under_a_file_is_refused(tmp_path, out):
    (tmp_path / "plainfile").write_text("precious\n")
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="plainfile is a regular file, not a folder"):
        publish_directory(tmp_path / out, fake_release())
    assert snapshot(tmp_path) == before


def test_an_unwritable_parent_is_a_clean_error(unwritable):
    before = snapshot(unwritable)
    with pytest.raises(OutputError, match="cannot"):
        publish_directory(unwritable / "dist", fake_release())
    assert snapshot(unwritable) == before == {}


def test_an_unchangeable_release_is_left_as_it_was(tmp_path):
    folder = write_release(tmp_path / "dist")
    before = snapshot(tmp_path)
    lock_folder(folder)
    try:
        with pytest.raises(OutputError, match="cannot write the release"):
            publish_directory(folder, fake_release({"c.txt": b"c\n"}))
    finally:
        unlock_folder(folder)
    after = snapshot(tmp_path)
    after.pop(".dist.lock")
    assert after == before and no_staging_left(tmp_path)


def test_staging_left_by_a_killed_build_is_removed_under_the_lock(tmp_path):
    stale = tmp_path / ".dist.staging-killed"
    stale.mkdir()
    (stale / "half.ttl").write_text("half")
    publish_directory(tmp_path / "dist", fake_release())
    assert not stale.exists() and release_problem(tmp_path / "dist") is None


@pytest.mark.slow
def test_the_curated_release_is_recognised_and_rebuilt(release_dir, tmp_path, cli):
    """A real release carries the marker, listed in SHA256SUMS, and a second build replaces it."""
    assert release_problem(release_dir) is None
    assert (release_dir / RELEASE_MARKER).read_bytes() == RELEASE_FORMAT
    assert f"  {RELEASE_MARKER}\n" in (release_dir / CHECKSUMS).read_text()
    out = tmp_path / "dist"
    assert cli("build", "--out", out, "--facts", SEED)[0] == 0
    first = snapshot(out)
    assert cli("build", "--out", out, "--facts", SEED)[0] == 0
    assert snapshot(out) == first


@pytest.mark.slow
def test_build_out_reproductions(tmp_path, cli, monkeypatch):
    """The issue's reproductions, end to end: exit 2, one line, nothing lost."""
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path / "work")
    (tmp_path / "work" / "D").mkdir()
    (tmp_path / "work" / "D" / "thesis.txt").write_text("x\n")
    (tmp_path / "work" / "F").write_text("precious\n")
    before = snapshot(tmp_path)
    for out, message in (("D", "it is not a dispute-kg release .it has no .dispute-kg-release"),
                         ("F", "it is a regular file, not a folder"),
                         ("/", "it is the root folder"),
                         (".", "it is the current folder"),
                         (str(tmp_path / "home"), "it is your home folder"),
                         ("F/dist", "F is a regular file, not a folder")):
        code, _, err = cli("build", "--out", out, "--facts", SEED)
        assert code == 2, (out, err)
        assert err.startswith("dispute-kg build: error: ") and re.search(message, err), (out, err)
        assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(tmp_path) == before
    code, _, err = cli("build", "--out", "D", "--facts", SEED, "--force")
    assert code == 0, err
    assert not (tmp_path / "work" / "D" / "thesis.txt").exists() and release_problem(tmp_path / "work" / "D") is None


# ---------------------------------------------------------------------------
# Cause 15: two builds into one folder at once
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_three_builds_into_one_folder_at_once_all_succeed(tmp_path):
    out = tmp_path / "dist"
    processes = [subprocess.Popen([sys.executable, "-m", "kg", "build", "--out", str(out), "--facts", str(SEED)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert release_problem(out) is None and no_staging_left(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"dist", ".dist.lock"}


HOLD_LOCK = ("import fcntl, os, sys, time\n"
             "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
             "fcntl.flock(fd, fcntl.LOCK_EX)\n"
             "print('locked', flush=True)\n"
             "time.sleep(float(sys.argv[2]))\n"
             "print('published while locked:', os.path.exists(sys.argv[3]), flush=True)\n")


def _hold_lock(lock: Path, seconds: float, watch: Path) -> subprocess.Popen:
    """Another process holding the release lock for ``seconds``, then saying whether ``watch`` exists."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock), str(seconds), str(watch)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.slow
def test_a_build_waits_for_another_to_finish_writing(tmp_path):
    out = write_release(tmp_path / "dist")
    holder = _hold_lock(tmp_path / ".dist.lock", 5, out / "dispute-kg.ttl")
    done = run_cli("build", "--out", out, "--facts", SEED)
    assert done.returncode == 0, done.stderr
    assert holder.communicate(timeout=30)[0].strip() == "published while locked: False"
    assert release_problem(out) is None and (out / "dispute-kg.ttl").exists()


@pytest.mark.slow
def test_a_build_stops_with_a_message_when_the_lock_is_held_too_long(tmp_path):
    out = write_release(tmp_path / "dist")
    before = snapshot(out)
    holder = _hold_lock(tmp_path / ".dist.lock", 60, out / "dispute-kg.ttl")
    try:
        done = subprocess.run([sys.executable, "-c",
                               "import sys, kg.files; kg.files.LOCK_WAIT = 1\n"
                               "from kg.cli import main; sys.exit(main(sys.argv[1:]))",
                               "build", "--out", str(out), "--facts", str(SEED)],
                              capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    assert "another build is writing the release to" in done.stderr and "waited 1 s" in done.stderr
    assert "Traceback" not in done.stderr and snapshot(out) == before


def test_a_lock_path_that_is_a_link_is_refused(tmp_path):
    (tmp_path / "elsewhere").write_text("mine\n")
    (tmp_path / ".dist.lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="cannot create the lock file"):
        publish_directory(tmp_path / "dist", fake_release())
    assert (tmp_path / "elsewhere").read_text() == "mine\n" and not (tmp_path / "dist").exists()


# ---------------------------------------------------------------------------
# Causes 2 and 14: export -o and timeline -o write through or refuse
# ---------------------------------------------------------------------------

def test_export_to_standard_output_with_a_dash(cli):
    code, out, err = cli("export", "--facts", SEED, "-o", "-")
    assert code == 0 and out.startswith("@prefix") and "wrote" not in err


def test_export_through_a_link_replaces_the_file_not_the_link(cli, tmp_path):
    (tmp_path / "real.ttl").write_text("old\n")
    (tmp_path / "link.ttl").symlink_to("real.ttl")
    code, _, err = cli("export", "--facts", SEED, "-o", tmp_path / "link.ttl")
    assert code == 0, err
    assert os.readlink(tmp_path / "link.ttl") == "real.ttl"
    assert (tmp_path / "real.ttl").read_text().startswith("@prefix")


@pytest.mark.parametrize("command", ["export", "timeline"])
def test_a_device_stays_a_device(cli, tmp_path, command, no_hang):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    for target in (link, Path("/dev/null")):
        code, _, err = cli(command, "--facts", SEED, "-o", target)
        assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.readlink(link) == "/dev/null"


@pytest.mark.skipif(not IS_ROOT, reason="making device nodes needs root")
def test_a_made_character_device_stays_one_and_a_block_device_is_refused(cli, tmp_path):
    os.mknod(tmp_path / "chr", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    os.mknod(tmp_path / "blk", stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device that is not set up
    before = snapshot(tmp_path)
    assert cli("export", "--facts", SEED, "-o", tmp_path / "chr")[0] == 0
    code, _, err = cli("export", "--facts", SEED, "-o", tmp_path / "blk")
    assert code == 2 and "is a block device; refusing to write to it" in err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["export", "timeline"])
def test_a_fifo_is_written_through_to_its_reader(tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # someone reads before the command starts
    process = subprocess.Popen(run_command_line(command, "--facts", SEED, "-o", fifo),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    received, deadline = [], time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready = select.select([reader], [], [], 0.1)[0]
            chunk = os.read(reader, 65536) if ready else b""
            received.append(chunk)
            if not chunk:
                if process.poll() is not None:
                    break
                time.sleep(0.05)  # no writer yet (end of file until one opens it)
    finally:
        os.close(reader)
        process.kill()
    _, err = process.communicate()
    assert process.returncode == 0, err
    assert len(b"".join(received)) > 1000 and f"wrote {fifo}" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO is still a FIFO"


def test_a_fifo_nobody_reads_is_a_clean_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = run_cli("export", "--facts", SEED, "-o", fifo, timeout=120)
    assert done.returncode == 2 and "is a FIFO that nothing is reading from" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def _out_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("mine\n")
    return tmp_path / "out", "is a folder; refusing to write to it; name a file"


def _out_under_file(tmp_path):
    (tmp_path / "plainfile").write_text("precious\n")
    return tmp_path / "plainfile" / "x.ttl", "plainfile is a regular file, not a folder"


def _out_loop(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    return tmp_path / "loop", "Too many levels of symbolic links"


def _out_link_to_folder(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to("folder")
    return tmp_path / "link", "is a folder .through a symbolic link to folder."


def _out_socket(tmp_path):
    import socket

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    server.close()
    return tmp_path / "sock", "is a socket; refusing to write to it"


BAD_OUTPUTS = {"a folder": _out_folder, "under a file": _out_under_file, "a link loop": _out_loop,
               "a link to a folder": _out_link_to_folder, "a socket": _out_socket}


@pytest.mark.parametrize("command", ["export", "timeline"])
@pytest.mark.parametrize("kind", BAD_OUTPUTS, ids=list(BAD_OUTPUTS))
def test_bad_output_paths_are_refused_before_any_work(cli, tmp_path, kind, command, monkeypatch):
    import kg.pipeline

    target, message = BAD_OUTPUTS[kind](tmp_path)
    before = snapshot(tmp_path)
    monkeypatch.setattr(kg.pipeline, "build", lambda *a, **k: pytest.fail("built before checking -o"))
    monkeypatch.setattr(kg.pipeline, "local_engine", lambda *a, **k: pytest.fail("built before checking -o"))
    code, out, err = cli(command, "--facts", SEED, "-o", target)
    assert code == 2 and re.search(message, err), err
    assert out == "" and err.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_an_unwritable_parent_or_file_is_a_clean_error(cli, unwritable, tmp_path):
    code, _, err = cli("export", "--facts", SEED, "-o", unwritable / "x.ttl")
    assert code == 2 and "cannot write" in err and "Traceback" not in err
    assert snapshot(unwritable) == {}
    kept = tmp_path / "kept.ttl"
    kept.write_text("mine\n")
    if IS_ROOT:
        subprocess.run(["chattr", "+i", str(kept)], check=True)
    else:
        kept.chmod(0o444)
    try:
        code, _, err = cli("export", "--facts", SEED, "-o", kept)
    finally:
        if IS_ROOT:
            subprocess.run(["chattr", "-i", str(kept)], check=True)
    assert code == 2 and "Traceback" not in err
    assert kept.read_text() == "mine\n"


# ---------------------------------------------------------------------------
# Cause 8 and 17: special files as input
# ---------------------------------------------------------------------------

def _fifo_input(path):
    os.mkfifo(path)
    return "is a FIFO .named pipe."


def _zero_input(path):
    path.symlink_to("/dev/zero")
    return "is a character device .through a symbolic link to /dev/zero."


def _folder_input(path):
    path.mkdir()
    return "is a folder"


def _loop_input(path):
    path.symlink_to(path.name)
    return "cannot open it: Too many levels of symbolic links"


def _dangling_input(path):
    path.symlink_to("nowhere")
    return "cannot open it: No such file or directory"


SPECIAL = {"FIFO": _fifo_input, "link to /dev/zero": _zero_input, "folder": _folder_input,
           "link loop": _loop_input, "dangling link": _dangling_input}


def _copy_seed(tmp_path) -> Path:
    import shutil

    facts = tmp_path / "facts"
    shutil.copytree(SEED, facts)
    return facts


@pytest.mark.parametrize("command", [["validate"], ["query", "timeline-events"], ["build", "--out", "{out}"],
                                     ["export"]])
@pytest.mark.slow
@pytest.mark.parametrize("kind", SPECIAL, ids=list(SPECIAL))
def test_a_special_file_among_the_facts_is_refused(tmp_path, kind, command):
    facts = _copy_seed(tmp_path)
    message = SPECIAL[kind](facts / "extra.yaml")
    before = snapshot(tmp_path)
    args = [a.replace("{out}", str(tmp_path / "dist")) for a in command]
    done = run_cli(*args, "--facts", facts, timeout=120)
    assert done.returncode == 2, done.stderr
    assert re.search(r"extra\.yaml: " + message, done.stderr), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", SPECIAL, ids=list(SPECIAL))
def test_a_special_rdf_or_shapes_file_is_refused(tmp_path, kind):
    message = SPECIAL[kind](tmp_path / "data.ttl")
    for args in (["validate", tmp_path / "data.ttl"], ["validate", "--facts", SEED, "--shapes", tmp_path / "data.ttl"]):
        done = run_cli(*args, timeout=120)
        assert done.returncode == 2, done.stderr
        assert re.search(r"data\.ttl: " + message, done.stderr), done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["q.rq", "query-without-suffix"])
@pytest.mark.parametrize("kind", SPECIAL, ids=list(SPECIAL))
def test_a_special_query_file_is_refused(tmp_path, kind, name):
    message = SPECIAL[kind](tmp_path / name)
    done = run_cli("sparql", "--facts", SEED, tmp_path / name, timeout=120)
    assert done.returncode == 2, done.stderr
    assert re.search(f"{name}: {message}", done.stderr), done.stderr


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


@pytest.mark.parametrize("kind,size,args,message", [
    ("facts", 32 * 2**20 + 1, ["validate", "--facts", "{dir}"], "a facts file may be at most 32 MiB"),
    ("rdf", 512 * 2**20 + 1, ["validate", "{file}"], "an RDF file may be at most 512 MiB"),
    ("query", QUERY_FILE_LIMIT + 1, ["sparql", "{file}"], "a query file may be at most 1 MiB"),
])
def test_a_file_over_its_size_limit_is_refused_before_it_is_read(cli, tmp_path, kind, size, args, message):
    folder = _copy_seed(tmp_path) if kind == "facts" else tmp_path
    name = {"facts": "huge.yaml", "rdf": "huge.nt", "query": "huge.rq"}[kind]
    path = _sparse(folder / name, size)
    code, _, err = cli(*[str(a).replace("{dir}", str(folder)).replace("{file}", str(path)) for a in args])
    assert code == 2 and name in err and f"is {size:,} bytes; {message}" in err, err


def test_facts_folder_that_is_not_a_folder(cli, tmp_path):
    (tmp_path / "file").write_text("x\n")
    (tmp_path / "loop").symlink_to("loop")
    for target, message in ((tmp_path / "missing", "cannot open the facts folder: No such file"),
                            (tmp_path / "file", "is a regular file; the facts must be a folder"),
                            (tmp_path / "loop", "cannot open the facts folder: Too many levels")):
        code, _, err = cli("validate", "--facts", target)
        assert code == 2 and message in err, err


def test_the_reader_refuses_a_fifo_even_with_a_writer_attached(tmp_path, no_hang):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # keeps the FIFO open for writing
    try:
        os.write(writer, b"SELECT * WHERE { ?s ?p ?o }")
        with pytest.raises(InputFileError, match="is a FIFO"):
            read_input(fifo, 1000)
    finally:
        os.close(writer)


def test_a_regular_file_through_a_link_is_read(tmp_path):
    (tmp_path / "real.rq").write_text("ASK {}")
    (tmp_path / "link.rq").symlink_to("real.rq")
    assert read_input(tmp_path / "link.rq", 100) == b"ASK {}"
    with pytest.raises(InputFileError, match="at most 5 bytes"):
        read_input(tmp_path / "link.rq", 5)


# ---------------------------------------------------------------------------
# Cause 16: a literal longer than pyoxigraph's token buffer
# ---------------------------------------------------------------------------

TOKEN = 16 * 2**20


@pytest.mark.parametrize("suffix,template", [
    (".ttl", b'<http://x/a> <http://x/b> "%s" .\n'),
    (".nt", b'<http://x/a> <http://x/b> "%s" .\n'),
    (".ttl", b'<http://x/a> <http://x/b> <http://x/%s> .\n'),
    (".jsonld", b'{"@id": "http://x/a", "http://x/b": "%s"}'),
])
def test_a_token_over_16_mib_is_a_clean_error(tmp_path, suffix, template):
    from kg.graph.rdfio import parse_file

    path = tmp_path / f"big{suffix}"
    path.write_bytes(template % (b"x" * (TOKEN + 100)))
    with pytest.raises(RDFInputError, match=r"may be at most 16 MiB"):
        parse_file(path)


def test_a_literal_just_under_16_mib_is_read_and_rdf_xml_has_no_such_limit(tmp_path):
    from kg.graph.rdfio import parse_file

    path = tmp_path / "under.nt"
    path.write_bytes(b'<http://x/a> <http://x/b> "%s" .\n' % (b"x" * (TOKEN - 100)))
    assert len(parse_file(path)) == 1
    xml = tmp_path / "big.rdf"
    xml.write_bytes(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                    b'<rdf:Description rdf:about="http://x/a"><x:b xmlns:x="http://x/">%s</x:b>'
                    b'</rdf:Description></rdf:RDF>' % (b"x" * (TOKEN + 100)))
    assert len(parse_file(xml)) == 1


def test_the_60_mb_literal_reproduction(cli, tmp_path):
    path = tmp_path / "big.ttl"
    path.write_bytes(b'<http://x/a> <http://x/b> "%s" .\n' % (b"x" * 60_000_000))
    code, _, err = cli("validate", path)
    assert code == 2 and "big.ttl: cannot parse it:" in err and "16 MiB" in err
    assert "Traceback" not in err and err.count("\n") == 1


# ---------------------------------------------------------------------------
# Cause 13: $DISPUTE_KG_QUERY_TIMEOUT is checked like --timeout
# ---------------------------------------------------------------------------

BAD_SECONDS = ["0", "abc", "inf", "nan", "-1", "1e999", "100000", "", " 5", "1_0", "5\n", "0x10", "٥"]
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize("value", BAD_SECONDS)
def test_a_bad_timeout_variable_is_exit_2_naming_it(cli, monkeypatch, value):
    monkeypatch.setenv("DISPUTE_KG_QUERY_TIMEOUT", value)
    for args in (["sparql", "ASK {}"], ["query", "timeline-events"], ["timeline", "--facts", SEED]):
        code, out, err = cli(*args)
        assert code == 2, (args, err)
        assert err.startswith(f"dispute-kg {args[0]}: error: $DISPUTE_KG_QUERY_TIMEOUT: expected a "
                              "positive number of seconds, at most 86400, found ") and out == ""


@pytest.mark.parametrize("value", BAD_SECONDS)
def test_the_timeout_option_takes_the_same_values(cli, value):
    code, _, err = cli("sparql", "ASK {}", "--timeout", value)
    assert code == 2 and "argument --timeout: expected a positive number of seconds" in err


def test_a_good_timeout_variable_is_the_limit(cli, monkeypatch):
    monkeypatch.setenv("DISPUTE_KG_QUERY_TIMEOUT", "0.5")
    started = time.monotonic()
    code, _, err = cli("sparql", CROSS)
    assert code == 2 and "ran for more than 0.5 s and was stopped" in err
    assert time.monotonic() - started < 60
    assert cli("sparql", "ASK {}")[0] == 0
    code, _, err = cli("sparql", "ASK {}", "--timeout", "3")  # the option wins over the variable
    assert code == 0, err


@pytest.mark.parametrize("limit", [0, -1, float("nan"), float("inf")])
def test_the_engine_never_treats_a_limit_as_no_limit(built, limit):
    from kg.graph.rdfio import serialize
    from kg.query.engines import OxigraphEngine

    engine = OxigraphEngine(serialize(built.asserted, "ntriples"))
    with pytest.raises(QueryError, match="a query time limit must be above 0"):
        engine.run(CROSS, timeout=limit)


# ---------------------------------------------------------------------------
# Cause 18: a damaged cache entry is rebuilt, and the answer is right
# ---------------------------------------------------------------------------

def _truncate(entry, seal):
    entry.write_bytes(entry.read_bytes()[:-100])


def _flip(entry, seal):
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x01
    entry.write_bytes(bytes(data))


def _no_sidecar(entry, seal):
    seal.unlink()


def _no_entry(entry, seal):
    entry.unlink()


def _garbage_sidecar(entry, seal):
    seal.write_bytes(b"\xff\xfegarbage")


def _huge_size_sidecar(entry, seal):
    seal.write_bytes(b"999999999999999999999999 " + b"0" * 64 + b"\n")


def _empty_sidecar(entry, seal):
    seal.write_bytes(b"")


def _long_sidecar(entry, seal):
    seal.write_bytes(b"1" * 10_000)


def _entry_to_zero(entry, seal):
    entry.unlink()
    entry.symlink_to("/dev/zero")


def _entry_fifo(entry, seal):
    entry.unlink()
    os.mkfifo(entry)


def _sidecar_folder(entry, seal):
    seal.unlink()
    seal.mkdir()


def _entry_grown(entry, seal):
    with open(entry, "ab") as handle:
        handle.write(b"<http://x/a> <http://x/b> <http://x/c> .\n")


CACHE_DAMAGE = {"truncated": _truncate, "flipped byte": _flip, "missing sidecar": _no_sidecar,
                "missing entry": _no_entry, "garbage sidecar": _garbage_sidecar,
                "huge size in sidecar": _huge_size_sidecar, "empty sidecar": _empty_sidecar,
                "long sidecar": _long_sidecar, "entry is a link to /dev/zero": _entry_to_zero,
                "entry is a FIFO": _entry_fifo, "sidecar is a folder": _sidecar_folder,
                "entry grew": _entry_grown}


def _entry(facts: Path) -> tuple[Path, Path]:
    entry = cache.cache_dir() / f"inferred-{cache.inputs_digest(facts, 'reasonable')}.nt"
    return entry, entry.with_name(entry.name + ".sha256")


@pytest.mark.slow
@pytest.mark.parametrize("damage", CACHE_DAMAGE, ids=list(CACHE_DAMAGE))
def test_a_damaged_cache_entry_is_rebuilt_and_the_answer_is_right(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("DISPUTE_KG_CACHE", str(tmp_path / "cache"))
    facts = _copy_seed(tmp_path)
    query = ["query", "timeline-events", "--format", "tsv", "--facts", facts]
    first = run_cli(*query, env={"DISPUTE_KG_CACHE": str(tmp_path / "cache")})
    assert first.returncode == 0, first.stderr
    entry, seal = _entry(facts)
    good = entry.read_bytes()
    assert cache.read(entry.name) == good
    CACHE_DAMAGE[damage](entry, seal)
    again = run_cli(*query, env={"DISPUTE_KG_CACHE": str(tmp_path / "cache")}, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout, "the same answer as before the damage"
    if damage == "sidecar is a folder":  # not ours to delete: used as a miss, left alone
        assert seal.is_dir() and entry.read_bytes() == good
    else:
        assert entry.read_bytes() == good and cache.read(entry.name) == good, "the entry was rebuilt"


def test_an_entry_where_a_folder_stands_is_bypassed_and_left_alone(tmp_path, monkeypatch):
    from kg.pipeline import build, inferred_ntriples

    monkeypatch.setenv("DISPUTE_KG_CACHE", str(tmp_path / "cache"))
    facts = _copy_seed(tmp_path)
    entry, _ = _entry(facts)
    entry.mkdir(parents=True)
    (entry / "someone's.txt").write_text("x\n")
    assert inferred_ntriples(facts) == build(facts).ntriples("inferred")
    assert (entry / "someone's.txt").read_text() == "x\n"


def test_an_unusable_cache_folder_is_no_reason_to_fail(cli, tmp_path, monkeypatch):
    (tmp_path / "cache-file").write_text("not a folder\n")
    monkeypatch.setenv("DISPUTE_KG_CACHE", str(tmp_path / "cache-file"))
    code, out, err = cli("query", "timeline-events", "--format", "tsv", "--facts", SEED)
    assert code == 0, err
    assert (tmp_path / "cache-file").read_text() == "not a folder\n"
    monkeypatch.setenv("DISPUTE_KG_CACHE", str(tmp_path / "cache"))
    assert cli("query", "timeline-events", "--format", "tsv", "--facts", SEED)[1] == out


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "no sidecar", "a FIFO"])
def test_a_damaged_ontology_page_in_the_cache_is_rendered_again(tmp_path, monkeypatch, damage, no_hang):
    """The page goes into every release: a damaged cached copy must never be released."""
    from kg.graph.ontology import load_ontology
    from kg.publish import docs

    monkeypatch.setenv("DISPUTE_KG_CACHE", str(tmp_path / "cache"))
    ontology = load_ontology()
    first = docs.cached_ontology_html(ontology)
    [page] = (tmp_path / "cache").glob("ontology-*.html")
    if damage == "truncated":
        page.write_bytes(first[:1000])
    elif damage == "no sidecar":
        page.with_name(page.name + ".sha256").unlink()
        page.write_bytes(b"<html>someone else's page</html>")
    else:
        page.unlink()
        os.mkfifo(page)
    assert docs.cached_ontology_html(ontology) == first
    assert page.read_bytes() == first
