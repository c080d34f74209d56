"""Reading YAML values as the schema's field types: text stays the text the curator wrote.

PyYAML implements YAML 1.1, which turns ``10:30`` into 630, ``0777`` into 511 and ``yes``
into True before anyone asks. The facts loader resolves no implicit type at all: every scalar
arrives as text, a :class:`Plain` one if it was written without quotes. A field's type then
decides: a text field takes the text as written; a number, a yes/no flag or an empty value
is read by the YAML 1.2 core schema's rules, and only from a plain scalar (``"2"`` in quotes
is text, not a number). Every pattern is matched against the whole value (``fullmatch``), so
a trailing newline is never accepted.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit


class Plain(str):
    """A scalar written without quotes (YAML 1.2 core typing may apply to it)."""

    __slots__ = ()


class FieldError(Exception):
    """A value that does not fit its field; the loader adds file, entry, field and line."""

    def __init__(self, message: str, subfield: str | None = None):
        super().__init__(message)
        self.subfield = subfield


NULLS = frozenset(("", "~", "null", "Null", "NULL"))
TRUE, FALSE = frozenset(("true", "True", "TRUE")), frozenset(("false", "False", "FALSE"))
INT = re.compile(r"[-+]?[0-9]+")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
SPECIAL_FLOATS = {".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf,
                  "-.inf": -math.inf, ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANG_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*")
WIKIDATA = re.compile(r"Q[1-9][0-9]*")
URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MAX_TEXT = 20_000
#: Characters no curated text may hold: bidirectional embeddings, overrides and isolates
#: (they reorder what a reader sees), line and paragraph separators, byte-order marks.
FORBIDDEN = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff")
INVISIBLE = ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cn", "Co", "Cs")


def is_null(value: object) -> bool:
    """A missing value: YAML null (``~``, ``null`` or nothing), written without quotes."""
    return value is None or (isinstance(value, Plain) and value in NULLS)


def typed(value: object) -> object:
    """What YAML 1.2's core schema makes of a plain scalar (for numbers, flags and messages)."""
    if not isinstance(value, Plain):
        return value
    if value in NULLS:
        return None
    if value in TRUE or value in FALSE:
        return value in TRUE
    if INT.fullmatch(value):
        return int(value)
    if FLOAT.fullmatch(value):
        return float(value)
    if value in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[value]
    return str(value)


def shown(value: object) -> str:
    """The value as a message shows it: what the curator wrote, typed as YAML 1.2 reads it."""
    found = typed(value)
    if isinstance(found, (dict, list)):
        return type(found).__name__
    return repr(str(found) if isinstance(found, str) else found)  # a Plain shows as plain text


def _text(value: object, multiline: bool) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected text, found {type(value).__name__}")
    value = value.strip()
    if not value:
        raise FieldError("must not be empty")
    if len(value) > MAX_TEXT:
        raise FieldError(f"is {len(value)} characters long; the limit is {MAX_TEXT}")
    allowed = "\n\t" if multiline else ""
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in allowed:
            raise FieldError(f"contains control characters (U+{ord(ch):04X}"
                             + (")" if multiline or ch not in "\n\t" else "; one line of text expected)"))
        if ch in FORBIDDEN or category == "Cs":
            raise FieldError(f"contains the formatting character U+{ord(ch):04X}, which would "
                             "change how the text reads")
        if category == "Cn":
            raise FieldError(f"contains U+{ord(ch):04X}, which is not a character")
    if all(unicodedata.category(ch) in INVISIBLE for ch in value):
        raise FieldError("has no visible character")
    return value


def line(value: object) -> str:
    """One line of text: a label, a title, a phrase."""
    return _text(value, multiline=False)


def text(value: object) -> str:
    """Text that may span lines: a quote, a note, a description."""
    return _text(value, multiline=True)


def slug(value: object) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise FieldError("must be a slug (lower-case letters, digits and single hyphens), "
                         f"found {shown(value)}")
    return str(value)


def iso_date(value: object) -> date:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise FieldError(f"must be a date written YYYY-MM-DD, found {shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(f"is not a real date: {value!r} ({exc})") from None


def _whole(value: object, least: int) -> int:
    found = typed(value)
    if isinstance(found, bool) or not isinstance(found, int) or found < least:
        raise FieldError(f"must be a whole number of at least {least}, found {shown(value)}")
    return found


def count(value: object) -> int:
    """A whole number of at least 1, written as a plain YAML integer."""
    return _whole(value, 1)


def amount(value: object) -> int:
    """A whole number of at least 0, written as a plain YAML integer."""
    return _whole(value, 0)


def flag(value: object) -> bool:
    found = typed(value)
    if not isinstance(found, bool):
        raise FieldError(f"must be true or false, found {shown(value)}")
    return found


def url(value: object) -> str:
    if not isinstance(value, str) or not URL.fullmatch(value):
        raise FieldError(f"must be an http(s) URL without spaces, found {shown(value)}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise FieldError(f"is not a valid URL: {value!r} ({exc})") from None
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise FieldError(f"must name a host and carry no user name or password, found {value!r}")
    return str(value)


def wikidata(value: object) -> str:
    if not isinstance(value, str) or not WIKIDATA.fullmatch(value):
        raise FieldError(f"must be a Wikidata item id like Q17, found {shown(value)}")
    return str(value)


def domain(value: object) -> str:
    if not isinstance(value, str) or not DOMAIN.fullmatch(value):
        raise FieldError(f"must be a lower-case web domain like kbs.co.kr, found {shown(value)}")
    return str(value)


def lang_tag(value: object) -> str:
    if not isinstance(value, str) or not LANG_TAG.fullmatch(value):
        raise FieldError(f"must be a BCP 47 language tag like en or ja, found {shown(value)}")
    return value.lower()


def choice(value: object, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise FieldError(f"must be one of {', '.join(choices)}; found {shown(value)}")
    return str(value)
