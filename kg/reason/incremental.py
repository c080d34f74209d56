"""The curator's loop: reuse the last closure when an edit only replaced literal values.

Under the ontology's axioms a triple whose object is a literal entails only the same
value under the property's super-properties (OWL RL prp-spo1, prp-eqp) and the subject's
types from the property's domain (prp-dom); the range, inverse and symmetry rules give
triples about the literal, which the cleaned closure drops. So when an edit replaces
values -- every removed ``s p "old"`` has an added ``s p "new"`` with the same subject and
property -- the new closure is the old one with ``"old"`` swapped for ``"new"`` in what
was entailed from it, and the types stay (``s p ...`` still holds).

Anything else runs the full closure: a changed IRI or blank node, an added or deleted
value, a literal the subject also has under another property, and every graph holding an
axiom under which a literal can entail more (keys, inverse-functional properties,
restrictions, property chains, ``owl:sameAs`` between individuals). Tests compare the
result with the full closure, edit by edit.
"""

from __future__ import annotations

from kg import cache
from kg.graph import iris, ntriples

OWL = "http://www.w3.org/2002/07/owl#"
#: Terms under which a literal value can entail more than its super-properties and types.
WIDENING = tuple(f"<{OWL}{name}>" for name in (
    "hasKey", "onProperty", "propertyChainAxiom", "InverseFunctionalProperty", "sameAs"))
#: Above this many asserted triples the last closure is neither kept nor read: the loop
#: this serves is a curator's, and copying a large graph to the cache costs more than it saves.
LIMIT = 200_000


def replaced_entailments(before: set[str], entailed: set[str], after: set[str]) -> set[str] | None:
    """The entailed lines of ``after``, derived from the closure of ``before``, or None.

    Args:
        before: the asserted lines the last closure was computed from.
        entailed: what that closure entailed beyond ``before`` (cleaned, see kg.reason.closure).
        after: the asserted lines now.

    Returns:
        The entailed lines the full closure of ``after`` would give, or None when the change
        is not a replacement of literal values this module can follow (run the full closure).
    """
    removed, added = before - after, after - before
    if not removed and not added:
        return set(entailed)
    subject_prefix = f"<{iris.ID}"
    changes: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for lines, side in ((removed, 0), (added, 1)):
        for line in lines:
            s, p, o = ntriples.parts(line)
            if not (s.startswith(subject_prefix) and o.startswith('"')):
                return None
            changes.setdefault((s, p), ([], []))[side].append(o)
    if any(not old or not new for old, new in changes.values()):
        return None
    text = "\n".join(after)
    if any(term in text for term in WIDENING) or any(f"<{OWL}sameAs>" in line for line in entailed):
        return None

    subjects = {s for s, _ in changes}
    objects_before = _objects_by_subject(before, subjects)
    objects_after = _objects_by_subject(after, subjects)
    derived = _objects_by_subject(entailed, subjects, keep_predicate=True)

    result = set(entailed)
    for (s, p), (old, new) in changes.items():
        supers = None
        for value in old:
            if objects_before[s].count(value) != 1 or value in objects_after[s]:
                return None
            found = {q for q, o in derived.get(s, ()) if o == value}
            if supers is not None and found != supers:
                return None
            supers = found
            result.difference_update(f"{s} {q} {value} ." for q in found)
        result.update(f"{s} {q} {value} ." for value in new for q in supers)
    result.difference_update(added)
    return result


def _objects_by_subject(lines: set[str], subjects: set[str], keep_predicate: bool = False) -> dict:
    """For each of ``subjects``, the objects (or predicate-object pairs) of its lines."""
    found: dict[str, list] = {s: [] for s in subjects}
    for line in lines:
        s = line[:line.find(" ")]
        if s in found:
            _, p, o = ntriples.parts(line)
            found[s].append((p, o) if keep_predicate else o)
    return found


class LastClosure:
    """The last closure of one facts folder, kept in the cache: the asserted lines it was
    computed from and what it entailed, in one entry (so the two can never come from
    different runs)."""

    SEPARATOR = b"# entailed\n"

    def __init__(self, slot: str):
        self.name = f"closure-{slot}.nt"

    def entailed(self, asserted: set[str]) -> set[str] | None:
        """The entailments of ``asserted`` followed from the last closure, or None."""
        if len(asserted) > LIMIT:
            return None
        data = cache.read(self.name)
        if data is None:
            return None
        before, separator, entailed = data.partition(self.SEPARATOR)
        if not separator:
            return None
        return replaced_entailments(ntriples.decode(before), ntriples.decode(entailed), asserted)

    def keep(self, asserted: bytes, entailed: list[str]) -> None:
        """Remember a closure (``asserted`` as the sorted N-Triples document, ``entailed`` as
        sorted lines)."""
        if len(entailed) + asserted.count(b"\n") <= LIMIT:
            cache.write(self.name, asserted + self.SEPARATOR + ntriples.encode(entailed))

