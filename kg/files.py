"""Users' files in and out, without harm: read regular files only, within a size limit and
without blocking; write an output file through to what the user named; replace a release
folder only when it is a previous release, under a lock, all at once.

A user's files are never moved or deleted, not even into a staging name: every path is
checked before the work starts (so a refusal costs nothing) and again, under the lock,
just before anything is written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import InputFileError, OutputError

MIB = 2**20
#: Size limits of input files, by kind (README "Safety" lists them).
FACTS_FILE_LIMIT = 32 * MIB
RDF_FILE_LIMIT = 512 * MIB
QUERY_FILE_LIMIT = 1 * MIB

#: Written into every release; a folder is replaced only if it holds this and its files match SHA256SUMS.
RELEASE_MARKER = ".dispute-kg-release"
RELEASE_FORMAT = b"dispute-kg release format 1\n"
CHECKSUMS = "SHA256SUMS"
#: How long a build waits for another build that is writing the same release folder.
LOCK_WAIT = 60.0

_CHECKSUM_LINE = re.compile(rb"([0-9a-f]{64})  ([^\x00\n]+)")


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words, for messages."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"),
                       (stat.S_ISREG, "a regular file")):
        if test(mode):
            return name
    return "a special file"


def _via_link(path: Path) -> str:
    return f" (through a symbolic link to {os.readlink(path)})" if os.path.islink(path) else ""


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB and limit % MIB == 0 else f"{limit:,} bytes"


def _check_regular(path: Path, info: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(path, f"is {kind_of(info.st_mode)}{_via_link(path)}; "
                                   f"{what} must be a regular file")
    if info.st_size > limit:
        raise InputFileError(path, f"is {info.st_size:,} bytes; {what} may be at most {_size(limit)}")


def check_input(path: Path, limit: int, what: str = "a file") -> None:
    """Refuse, without opening it, a path that :func:`read_input` would refuse by its type or size.

    Raises:
        InputFileError: naming the path and the reason.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputFileError(path, f"cannot open it: {exc.strerror}") from None
    _check_regular(path, info, limit, what)


def read_input(path: Path, limit: int, what: str = "a file") -> bytes:
    """The bytes of a user's input file, read only if it is a regular file of at most ``limit`` bytes.

    The type is checked before opening (opening a device can have effects), the file is
    opened without blocking (a FIFO with no writer would block forever), and the type and
    size are checked again on what was opened, so a path swapped in between is caught too.
    Symbolic links are followed; one that leads to a device, a FIFO or nowhere is refused.

    Args:
        path: the file.
        limit: the largest size accepted, in bytes.
        what: what the file is, for messages ("a facts file", "an RDF file").

    Returns:
        The file's bytes.

    Raises:
        InputFileError: naming the path and the reason.
    """
    path = Path(path)
    check_input(path, limit, what)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputFileError(path, f"cannot open it: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        _check_regular(path, info, limit, what)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(max(info.st_size, MIB), limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputFileError(path, f"grew past {_size(limit)} while it was read")
    except OSError as exc:
        raise InputFileError(path, f"cannot read it: {exc.strerror}") from None
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------

def _existing_ancestor_is_folder(path: Path, shown: Path) -> None:
    for parent in path.parents:
        try:
            info = os.stat(parent)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {parent}: {exc.strerror}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"cannot write {shown}: {parent} is {kind_of(info.st_mode)}, not a folder")
        return


def output_target(path: Path) -> tuple[str, Path]:
    """How an output file named ``path`` will be written, checked before any work is done.

    Returns:
        ``("replace", file)``: a new or existing regular file, replaced atomically (through a
        symbolic link: the link stays and the file it leads to is replaced); or
        ``("stream", path)``: a character device or FIFO, written through as it is.

    Raises:
        OutputError: a folder, block device or socket, a symbolic link loop, a read-only
            file, or a parent that is not a folder.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        target = Path(os.path.realpath(path))
        _existing_ancestor_is_folder(target, path)
        return "replace", target
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISREG(info.st_mode):
        if not os.access(path, os.W_OK):
            raise OutputError(f"{path} is read-only; refusing to replace it")
        return "replace", Path(os.path.realpath(path))
    if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        return "stream", path
    hint = "; name a file to write (or - for standard output)" if stat.S_ISDIR(info.st_mode) else ""
    raise OutputError(f"{path} is {kind_of(info.st_mode)}{_via_link(path)}; refusing to write to it{hint}")


def _stream(path: Path, data: bytes) -> None:
    """Write into a FIFO or character device as it is (no regular file takes its place)."""
    import fcntl

    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path} is a FIFO that nothing is reading from") from None
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise OutputError(f"{path} changed into {kind_of(mode)} while it was opened; nothing written")
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_output(path: Path, data: bytes) -> Path:
    """Write an output file the user named, through to what is there (see :func:`output_target`).

    Returns:
        The path written: the file a symbolic link leads to, or ``path`` itself.

    Raises:
        OutputError: the path is refused or cannot be written; what was there is unchanged.
    """
    how, target = output_target(path)
    try:
        if how == "stream":
            _stream(target, data)
        else:
            write_atomic(target, data)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file beside ``path`` and rename it into place.

    A crash or error midway leaves the previous file untouched. The file gets
    the mode a plain ``open`` would give it (the previous file's, else 0666
    less the umask), not mkstemp's owner-only 0600: releases are meant to be
    served and shared.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# The release folder
# ---------------------------------------------------------------------------

def release_problem(folder: Path, digests: bool = True, hashes=None) -> str | None:
    """Why ``folder`` is not an intact release written by this tool, or None if it is one.

    An intact release holds the marker file (in a format this version knows), SHA256SUMS,
    and exactly the files SHA256SUMS lists, each a regular file with the listed digest:
    a file added or edited since the build makes it something else. With ``digests``
    False the files' digests are not computed (the early look before a build, which the
    full check under the release lock repeats). ``hashes(folder, files, read)`` computes them
    (kg.digests.file_digests remembers them between runs); by default each file is read.
    """
    entries, links = _release_entries(Path(folder))
    if RELEASE_MARKER not in entries and not os.path.lexists(Path(folder, RELEASE_MARKER)):
        return f"it has no {RELEASE_MARKER} marker file"
    for name in (RELEASE_MARKER, CHECKSUMS):
        if name not in entries:
            return f"its {name} is missing or not a regular file"
    try:
        if read_input(Path(folder, RELEASE_MARKER), 4096) != RELEASE_FORMAT:
            return f"its {RELEASE_MARKER} names a release format this version does not know"
        try:
            listed = read_checksums(read_input(Path(folder, CHECKSUMS), 16 * MIB))
        except ValueError:
            return f"its {CHECKSUMS} has a line that is not '<sha256>  <name>'"
        extra = sorted(set(entries) - set(listed) - {CHECKSUMS})
        if extra:
            return f"it holds files that are not part of a release: {', '.join(extra[:5])}"
        if links:
            return f"it holds a link or special file ({links[0]}); a release holds only files and folders"
        for name in sorted(listed):
            if name not in entries:
                return f"{name}, listed in {CHECKSUMS}, is missing or not a regular file"
        if digests:
            found = (hashes or _hash_each)(Path(folder), {name: entries[name] for name in listed},
                                           lambda path: read_input(path, RDF_FILE_LIMIT))
            for name, digest in sorted(listed.items()):
                if found[name] != digest:
                    return f"{name} was changed since it was written (its SHA-256 differs from {CHECKSUMS})"
    except InputFileError as exc:
        return exc.reason
    return None


def _hash_each(folder: Path, files: dict[str, Path], read) -> dict[str, str]:
    return {name: hashlib.sha256(read(path)).hexdigest() for name, path in files.items()}


def read_checksums(data: bytes) -> dict[str, str]:
    """A SHA256SUMS file as {relative path: hex digest}.

    Raises:
        ValueError: ``(line number, line)`` of the first line that is not ``<sha256>  <name>``
            with a relative path inside the folder (no empty, ``.`` or ``..`` part).
    """
    listed = {}
    for number, line in enumerate(data.splitlines(), 1):
        match = _CHECKSUM_LINE.fullmatch(line)
        name = os.fsdecode(match.group(2)) if match else ""
        if match is None or any(part in ("", ".", "..") for part in name.split("/")):
            raise ValueError(number, line)
        listed[name] = match.group(1).decode("ascii")
    return listed


def _release_entries(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """The regular files under ``folder`` by their path relative to it ('site/id/event/x.html'),
    and the links and special files found there (never followed). A folder that cannot be
    listed is passed over, as os.walk does: what SHA256SUMS lists in it is then missing.

    os.scandir's entries carry their type, so the thousands of files of a site cost no
    stat call each."""
    files, odd = {}, []
    stack = [(os.fspath(folder), "")]
    while stack:
        where, prefix = stack.pop()
        try:
            with os.scandir(where) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                odd.append(relative)
            elif entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, relative + "/"))
            elif entry.is_file(follow_symlinks=False):
                files[relative] = Path(entry.path)
            else:
                odd.append(relative)
    return files, sorted(odd)


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no $HOME and no password entry
        return None


def _cwd() -> Path | None:
    try:
        return Path.cwd().resolve()
    except OSError:  # the current folder was removed
        return None


def _protected(target: Path, keep: Iterable[Path]) -> str | None:
    """Why ``target`` may never be replaced, not even with --force."""
    root = Path(target.anchor)
    if target == root:
        return "it is the root folder"
    for name, folder in (("your home folder", _home()), ("the current folder", _cwd())):
        if folder is not None and (target == folder or target in folder.parents):
            return f"it is {name} or holds it"
    if target.parent == root:
        return "it is a system folder, right under the root folder"
    for path in keep:
        path = Path(os.path.realpath(path))
        if path == target or target in path.parents:
            return f"it holds this build's input {path}"
    if os.path.ismount(target):
        return "it is a mount point"
    return None


def check_release_target(out_dir: Path, force: bool = False, keep: Iterable[Path] = (),
                         thorough: bool = True, hashes=None) -> Path:
    """The folder a release will replace, after checking that it may be replaced.

    Accepted: a folder that does not exist yet, an empty folder, or an intact previous
    release (:func:`release_problem`); with ``force``, any other folder too. Never, even
    with ``force``: something that is not a folder, the root folder or one right under
    it, the home folder, the current folder or one that holds it, a folder holding one of
    ``keep`` (this build's inputs), a mount point. A symbolic link to a folder is followed:
    the link stays and the folder it leads to is replaced. ``thorough`` False skips the
    previous release's file digests: for the look before a build starts, never for the
    checks before and under the release lock that decide. ``hashes`` as for :func:`release_problem`.

    Returns:
        The folder's real path.

    Raises:
        OutputError: saying why the folder is refused.
    """
    given = Path(out_dir)
    target = Path(os.path.realpath(given))
    refuse = f"refusing to write the release to {given}"
    try:
        info = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        _existing_ancestor_is_folder(target, given)
        return target
    except OSError as exc:
        raise OutputError(f"{refuse}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(f"{refuse}: it is a symbolic link that leads nowhere (a loop)")
        raise OutputError(f"{refuse}: it is {kind_of(info.st_mode)}{_via_link(given)}, not a folder "
                          "(--out names the release folder)")
    reason = _protected(target, keep)
    if reason:
        raise OutputError(f"{refuse}: {reason} (not even --force replaces it)")
    try:
        if not any(os.scandir(target)):
            return target
        problem = release_problem(target, digests=thorough, hashes=hashes)
    except OSError as exc:
        raise OutputError(f"{refuse}: cannot list it: {exc.strerror}") from None
    if problem and not force:
        raise OutputError(f"{refuse}: it is not a dispute-kg release ({problem}); a build replaces "
                          "only a previous release: choose a new or empty folder, or --force to "
                          "replace this one and everything in it")
    return target


@contextmanager
def release_lock(target: Path) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside the release folder (never inside it) while it is written.

    A second build writing the same folder waits up to :data:`LOCK_WAIT` seconds, then stops.

    Raises:
        OutputError: the lock cannot be taken, or another build held it too long.
    """
    import fcntl

    lock = target.parent / f".{target.name}.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write the release to {target}: cannot create the lock file "
                          f"{lock}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"cannot lock {target}: {lock} is not a regular file")
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(f"another build is writing the release to {target} (it holds "
                                      f"{lock}); waited {LOCK_WAIT:g} s; "
                                      "run this build again when that one has finished") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is; the old folder (now at the staging name) is removed."""
    import shutil

    if not target.exists():
        os.rename(staging, target)
        return
    if not _exchange(staging, target):  # no renameat2: two renames, undone if the second fails
        previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
        os.rename(target, previous)
        try:
            os.rename(staging, target)
        except OSError:
            os.rename(previous, target)
            raise
        os.rename(previous, staging)
    shutil.rmtree(staging, ignore_errors=True)


def _remove_stale(target: Path) -> None:
    """Remove staging folders that killed builds left beside ``target`` (only ever called under
    the lock, so none of them belongs to a running build)."""
    import shutil

    for stale in target.parent.glob(f".{target.name}.staging-*"):
        if stat.S_ISDIR(os.lstat(stale).st_mode):
            shutil.rmtree(stale, ignore_errors=True)


def publish_directory(out_dir: Path, files: dict[str, bytes], verify=None, force: bool = False,
                      keep: Iterable[Path] = (), hashes=None) -> list[Path]:
    """Replace the release folder ``out_dir`` with exactly ``files``, all at once.

    Under :func:`release_lock`, the folder is checked again (:func:`check_release_target`),
    everything is written to a staging folder beside it and checked with
    ``verify(path, bytes)``; only then is the staging folder swapped in, atomically where
    the system allows (renameat2), so a failure or a kill at any moment leaves either the
    whole previous release or the whole new one.

    Args:
        out_dir: the release folder.
        files: file name -> bytes.
        verify: called on every written file; raises to stop the release.
        force: replace a folder that is not a previous release (see :func:`check_release_target`).
        keep: paths the folder must not hold (this build's inputs).
        hashes: how the previous release's files are hashed (see :func:`release_problem`).

    Returns:
        The published paths, in name order.

    Raises:
        OutputError: the folder is refused, locked by another build, or cannot be written.
    """
    import shutil

    keep = list(keep)
    target = check_release_target(out_dir, force, keep, hashes=hashes)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {target.parent}: {exc.strerror}") from None
    with release_lock(target):
        target = check_release_target(out_dir, force, keep, hashes=hashes)
        try:
            _remove_stale(target)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
        except OSError as exc:
            raise OutputError(f"cannot write the release beside {target}: {exc.strerror}") from None
        try:
            made = {staging}
            for name, data in sorted(files.items()):
                path = staging / name
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                path.write_bytes(data)
                if verify is not None:
                    verify(path, data)
            os.chmod(staging, 0o755)
            _swap_in(staging, target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot write the release to {target}: {exc.strerror or exc}; "
                              "the folder was left as it was") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return [Path(out_dir) / name for name in sorted(files)]
