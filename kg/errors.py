"""Every error the tool reports to a user, with the exit code it maps to.

Kept in one dependency-free module so the CLI can catch them without
importing rdflib on the fast query path.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class: a problem to report in one message, not a crash."""

    exit_code = 2


def printable(text: str) -> str:
    """Text for a one-line message: characters that are not printable shown escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


class FactsError(KGError, ValueError):
    """A curated-facts problem, located as precisely as the input allows."""

    def __init__(self, file: str, message: str, *, entry: str | None = None,
                 field: str | None = None, line: int | None = None):
        entry = printable(entry) if entry else entry
        field = printable(field) if field else field
        self.file, self.entry, self.field, self.line = file, entry, field, line
        self.message = message
        parts = [file + (f":{line}" if line else "")]
        if entry:
            parts.append(entry)
        if field:
            parts.append(f"field '{field}'")
        super().__init__(": ".join(parts) + ": " + message)


class RDFInputError(KGError, ValueError):
    """An RDF file that cannot be read; the message names the file."""


class QueryError(KGError, ValueError):
    """A query file, a parameter or a query run that cannot be used as given."""


class ShapesError(KGError, ValueError):
    """The shapes themselves are broken (not the data)."""


class UnsupportedShapesError(ShapesError):
    """Valid shapes that use a feature the fast SHACL engine does not support.

    ``feature`` names it (``sh:or``) and ``summary`` says where ("shape <S>: uses sh:or");
    a user's shapes are then validated by pySHACL instead.
    """

    def __init__(self, summary: str, feature: str, supported: str):
        self.summary, self.feature = summary, feature
        super().__init__(f"{summary}, which the fast validator does not support "
                         f"(it supports {supported}); use --validator pyshacl")


class InconsistencyError(KGError, ValueError):
    """The OWL 2 RL closure is inconsistent; ``problems`` lists each reason."""

    exit_code = 1

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the graph is inconsistent under OWL 2 RL:\n  - " + "\n  - ".join(problems))


class RemoteError(KGError):
    """A remote SPARQL store did not answer, refused, failed, or sent a broken answer.

    ``status`` is the HTTP status code when the store answered with an error.
    """

    def __init__(self, message: str, status: int | None = None):
        self.status = status
        super().__init__(message)


class ServerError(KGError):
    """The local Oxigraph server is missing, could not load the graph, or would not start."""


class ReleaseError(KGError, ValueError):
    """The release cannot be written as asked (for example, a malformed endpoint address)."""


class InputFileError(KGError, ValueError):
    """A file given as input that cannot be read safely: missing, not a regular file, too large.

    ``path`` and ``reason`` let a caller re-raise it as its own kind of error.
    """

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


class OutputError(KGError):
    """An output file or release folder that may not or cannot be written as asked; nothing
    that was there before has been changed."""


class ExploreError(KGError, ValueError):
    """A search text or resource name that cannot be used (empty, too long, control characters)."""


class UnknownResourceError(ExploreError, LookupError):
    """A name or IRI that names no resource in the graph; ``suggestions`` are the closest ids."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class AmbiguousNameError(ExploreError, LookupError):
    """A name that several resources answer to; ``candidates`` are their ids, best first."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message)
