"""Writing outputs safely: a whole folder replaced at once, single files atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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

def publish_directory(out_dir: Path, files: dict[str, bytes], verify=None) -> list[Path]:
    """Replace ``out_dir`` with exactly ``files``, all at once.

    Everything is written to a staging folder beside ``out_dir`` and checked
    with ``verify(path, bytes)``; only then is the staging folder swapped in,
    atomically where the system allows (renameat2), so a failure or a kill at
    any moment leaves either the whole previous release or the whole new one.

    Returns:
        The published paths, in name order.
    """
    import shutil

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        for name, data in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if verify is not None:
                verify(target, data)
        os.chmod(staging, 0o755)
        if out_dir.exists() and _exchange(staging, out_dir):
            shutil.rmtree(staging)
        else:
            previous = out_dir.with_name(f".{out_dir.name}.previous-{os.getpid()}")
            if out_dir.exists():
                os.rename(out_dir, previous)
            os.rename(staging, out_dir)
            shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / name for name in sorted(files)]

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
