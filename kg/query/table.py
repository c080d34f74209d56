"""Plain-text tables that fit the terminal: display width, wrapping and ellipsis.

A terminal shows Japanese and Korean characters two columns wide and combining marks zero
wide, so ``len`` misaligns them; widths here come from ``unicodedata.east_asian_width``
(the standard library: the ``wcwidth`` package gives the same widths for our scripts but
costs 30 ms of import on every command). Columns too wide for the terminal share the space
left by the narrow ones (the widest are capped first); a cell longer than its column wraps
onto at most ``MAX_LINES`` lines, at spaces, hyphens or slashes where it can, and ends with
an ellipsis when there is still more. ``--wide`` (``width=None``) keeps every cell whole.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata

MAX_LINES = 3
ELLIPSIS = "…"
GAP = "  "
#: No column is made narrower than this (or than its widest cell, if smaller): dates stay whole.
MIN_COLUMN = 12
# A line may break after a space, a slash or a hyphen, but not inside a date (2019-08-22).
_CHAR = r"(?:[^\s/-]|(?<=\d)-(?=\d))"
_PIECES = re.compile(rf"\s+|{_CHAR}*[/-]|{_CHAR}+")


def char_width(ch: str) -> int:
    """Columns a character takes in a terminal: 0, 1 or 2."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters count two)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` display columns."""
    return text + " " * max(0, width - display_width(text))


def cut(text: str, width: int) -> str:
    """The longest start of ``text`` that fits ``width`` columns with an ellipsis after it."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        step = char_width(ch)
        if used + step > width - 1:
            break
        out.append(ch)
        used += step
    return "".join(out).rstrip() + ELLIPSIS


def wrap(text: str, width: int, max_lines: int | None = MAX_LINES) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns.

    Lines break at spaces, after hyphens and slashes, and anywhere inside a piece wider
    than a line (Japanese and Korean text has no spaces to break at). With ``max_lines``,
    the last line kept ends with an ellipsis when text was left over.
    """
    width = max(width, 2)
    lines: list[str] = []
    line, used = "", 0
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = display_width(piece)
        if used + size > width and line.strip() and size <= width:
            lines.append(line.rstrip())
            line, used = "", 0
        for ch in piece if size > width else (piece,):
            step = display_width(ch)
            if used + step > width:
                lines.append(line.rstrip())
                line, used = "", 0
            line, used = line + ch, used + step
    if line.strip() or not lines:
        lines.append(line.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[:max_lines - 1] + [
            last + ELLIPSIS if display_width(last) < width else cut(last, width)]
    return lines


def column_widths(natural: list[int], floors: list[int], available: int) -> list[int]:
    """Each column's width: its natural width where the total fits, else the widest capped.

    The cap is the largest width at which every column fits together in ``available``
    columns; a column never gets less than its floor.
    """
    if sum(natural) <= available:
        return natural
    low, high = 1, max(natural)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(min(n, cap), f) for n, f in zip(natural, floors)) <= available:
            low = cap
        else:
            high = cap - 1
    return [max(min(n, low), f) for n, f in zip(natural, floors)]


def layout(headers: list[str], rows: list[list[str]], width: int | None = None,
           footer: str | None = None) -> str:
    """A table with a header line and a rule, columns fitted into ``width`` display columns.

    Args:
        headers: column names.
        rows: cell texts, one list per row.
        width: the terminal's width; None for no limit (every cell whole, one line per row).
        footer: a line after the table (such as the row count).

    Returns:
        The table as text ending with a newline.
    """
    out = []
    natural = _natural(headers, rows)
    if width is None:
        widths = natural
    else:
        if sum(natural) + len(GAP) * (len(headers) - 1) > width:
            headers, rows, out = _pull_constant_columns(headers, rows, width)
            natural = _natural(headers, rows)
        floors = [min(n, MIN_COLUMN) for n in natural]
        widths = column_widths(natural, floors, width - len(GAP) * (len(headers) - 1))
    out += [GAP.join(pad(cut(h, w), w) for h, w in zip(headers, widths)).rstrip(),
            GAP.join("-" * w for w in widths)]
    wrapped_rows = [[wrap(c, w) if display_width(c) > w else [c] for c, w in zip(row, widths)]
                    for row in rows]
    spaced = any(len(cell) > 1 for row in wrapped_rows for cell in row)
    for number, cells in enumerate(wrapped_rows):
        if spaced and number:
            out.append("")
        for k in range(max((len(c) for c in cells), default=1)):
            out.append(GAP.join(pad(c[k] if k < len(c) else "", w)
                                for c, w in zip(cells, widths)).rstrip())
    if footer:
        out.append(footer)
    return "\n".join(out) + "\n"


def _natural(headers: list[str], rows: list[list[str]]) -> list[int]:
    natural = [display_width(h) for h in headers]
    for row in rows:
        natural = [max(n, display_width(c)) for n, c in zip(natural, row)]
    return natural


def _pull_constant_columns(headers: list[str], rows: list[list[str]], width: int):
    """Columns with one value in every row, taken out of a table too wide for the terminal and
    shown once above it (``meeting: event:...``): a filtered query repeats them on every row."""
    constant = [k for k in range(len(headers))
                if len(rows) > 1 and len({row[k] for row in rows}) == 1]
    if not constant or len(constant) == len(headers):
        return headers, rows, []
    above = []
    for k in constant:
        above += wrap(f"{headers[k]}: {rows[0][k]}", width, max_lines=None)
    keep = [k for k in range(len(headers)) if k not in constant]
    return ([headers[k] for k in keep], [[row[k] for k in keep] for row in rows],
            above + ["(the same in every row)", ""])


def terminal_width(wide: bool = False) -> int | None:
    """The width tables should fit: $COLUMNS, else the terminal's; None with ``wide`` or when
    standard output is not a terminal (a file or a pipe gets every cell whole)."""
    if wide:
        return None
    configured = os.environ.get("COLUMNS", "")
    if re.fullmatch(r"[1-9][0-9]{0,4}", configured):
        return max(int(configured), 20)
    try:
        if sys.stdout.isatty():
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, 20)
    except (OSError, ValueError, AttributeError):
        pass
    return None
