"""Render a long list on two cores: half of it in a forked child, half here.

The site's pages and descriptions are independent of each other and take most of the site's
time; a forked child shares everything already built (graph, model, templates) and sends back
its files, pickled, through a pipe. The result does not depend on the split: files are keyed
by path. Without ``fork`` (not POSIX), on one core, or for a short list, it all runs here; if the
child fails, its half is done here again, so an error in the data is raised here as usual.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence

MIN_ITEMS = 200


def _render(work: Callable[[object], dict], items: Sequence) -> dict:
    found: dict = {}
    for item in items:
        found.update(work(item))
    return found


def in_two(work: Callable[[object], dict], items: Sequence) -> dict:
    """``work(item)`` for every item, merged into one dict.

    Args:
        work: item -> {name: bytes}; must not depend on which process runs it.
        items: what to render.

    Returns:
        Every item's files.
    """
    if len(items) < MIN_ITEMS or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return _render(work, items)
    half = len(items) // 2
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render the second half, send it, and leave without cleanup
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pickle.dump(_render(work, items[half:]), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        found = _render(work, items[:half])
    finally:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        found.update(pickle.loads(data))
    else:
        found.update(_render(work, items[half:]))
    return found
