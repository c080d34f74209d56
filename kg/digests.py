"""SHA-256 digests of a release's files, remembered by each file's identity and times.

Checking a release (before a build replaces it, and in ``diff``) hashes every file SHA256SUMS
lists: with the site's pages about 2,900 small files, whose opening costs more than the rest
of a diff. As git's index does, a digest is kept with the file's device, inode, size,
modification and change times (a user can set the modification time back, not the change
time), and reused while all five are unchanged. A digest taken within two seconds of the
file's last change is not reused: a second write in the same clock tick could leave every
time as it was (git's "racily clean" files). The digests are one cache entry per folder
(:mod:`kg.cache`, sealed with its size and SHA-256, so a damaged entry is dropped and every
file hashed again).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

#: A digest is reused only if it was taken this long after the file last changed.
RACY_NS = 2_000_000_000


def file_digests(folder: Path, files: dict[str, Path | str], read: Callable,
                 infos: dict[str, os.stat_result] | None = None) -> dict[str, str]:
    """The SHA-256 (hex) of each of ``files`` (name -> path inside ``folder``).

    Args:
        folder: the folder the names are relative to (it keys the remembered digests).
        files: name -> path of each regular file to hash.
        read: the reader that checks a file before reading it (kg.files.read_input).
        infos: each file's ``os.lstat``, if the caller already took it (before reading).
    """
    infos = infos or {}
    from kg import cache

    entry = f"digests-{cache.digest_of(os.path.realpath(folder))}.json"
    remembered = _remembered(entry)
    found, kept, changed = {}, {}, False
    for name, path in sorted(files.items()):
        info = infos.get(name) or os.stat(path)  # before reading: a later write shows next time
        identity = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        known = remembered.get(name)
        if _reusable(known, identity, info):
            found[name] = known[6]
        else:
            found[name] = hashlib.sha256(read(path)).hexdigest()
            known = [*identity, time.time_ns(), found[name]]
            changed = True
        kept[name] = known
    if changed or set(kept) != set(remembered):
        cache.write(entry, json.dumps(kept, sort_keys=True).encode("utf-8"))
    return found


def _reusable(known, identity: list[int], info: os.stat_result) -> bool:
    if not (isinstance(known, list) and len(known) == 7 and known[:5] == identity):
        return False
    taken, digest = known[5], known[6]
    return isinstance(taken, int) and isinstance(digest, str) and len(digest) == 64 and \
        taken - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS


def _remembered(entry: str) -> dict:
    from kg import cache

    data = cache.read(entry)
    try:
        found = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
