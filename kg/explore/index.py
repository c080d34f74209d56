"""The search index and descriptions of one graph, built once and cached as JSON.

The cache entry (``explore-<digest>.json`` in kg.cache's folder) is keyed by the inputs of the
inferred graph (kg.cache.inputs_digest) and the code of this package, and holds one line of
JSON -- the search entries and where each description starts and ends -- followed by the
descriptions themselves, so ``describe`` decodes only the one it prints. Reading it imports
neither rdflib nor pyoxigraph.

A search entry is ``{"iri", "id", "kind", "type", "type_label", "types", "label", "dates",
"keys"}``:
``types`` are every class of the resource (compact, super-classes included, for ``--type``),
``dates`` a short text (``2019-08-08 – 2019-08-19``), and ``keys`` the names it answers to,
each ``{"kind", "text", "lang", "norm"}`` (kind: label, short label, external id, slug, id).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from kg import cache, resources
from kg.errors import AmbiguousNameError, ExploreError, UnknownResourceError
from kg.explore.match import TIERS, check_text, normalize, rank, suggestions
from kg.graph import iris
from kg.query.prefixes import compact, expand

DEFAULT_LIMIT = 10
MAX_LIMIT = 500
MAX_NAME = 2000
#: The most candidates an ambiguity or a suggestion lists.
SHOWN_CANDIDATES = 10


def _dates(d: dict) -> str:
    def span(first, last):
        if not first:
            return ""
        return first if not last or last == first else f"{first} – {last}"

    if d.get("date"):
        return span(d["date"]["earliest"], d["date"]["latest"])
    if d["kind"] == "tenure":
        if d["start"] or d["end"]:
            return span(d["start"] or "…", d["end"] or "…")
        return ", ".join(d["attested"])
    if d["kind"] == "source":
        return d["published"] or ""
    return ""


def entry(d: dict, types: list[str]) -> dict:
    """The search entry of one description."""
    keys = [{"kind": "label", "text": text, "lang": lang or None} for lang, text in d["labels"].items()]
    if not d["labels"] and d["label"]:
        keys.append({"kind": "label", "text": d["label"], "lang": None})
    if d["short_label"]:
        keys.append({"kind": "short label", "text": d["short_label"], "lang": "en"})
    keys += [{"kind": "external id", "text": x["id"], "lang": None} for x in d["external_ids"]]
    local = d["id"].partition(":")[2] if d["id"] != d["iri"] else d["iri"]
    keys.append({"kind": "slug", "text": local, "lang": None})
    keys.append({"kind": "id", "text": d["id"], "lang": None})
    seen, unique = set(), []
    for key in keys:
        key["norm"] = normalize(key["text"])
        if key["norm"] and key["norm"] not in seen:
            seen.add(key["norm"])
            unique.append(key)
    return {"iri": d["iri"], "id": d["id"], "kind": d["kind"],
            "type": d["types"][0]["id"] if d["types"] else None,
            "type_label": d["types"][0]["label"] if d["types"] else None, "types": types,
            "label": d["label"], "dates": _dates(d), "keys": unique}


class Explorer:
    """Search and describe over one graph's precomputed index and descriptions."""

    def __init__(self, entries: list[dict], offsets: dict[str, list[int]], body: bytes):
        self.entries = entries
        self.offsets = offsets
        self.body = body
        self.by_iri = {e["iri"]: e for e in entries}

    # -- building and caching ----------------------------------------------------------

    @classmethod
    def build(cls, ntriples: bytes) -> Explorer:
        """Index and describe every resource of a graph given as N-Triples."""
        from kg.explore.describe import describe_all
        from kg.explore.triples import Triples

        t = Triples.from_ntriples(ntriples)
        descriptions = describe_all(t)
        entries, offsets, parts, at = [], {}, [], 0
        for iri, d in descriptions.items():
            data = json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
            offsets[iri] = [at, at + len(data)]
            parts.append(data)
            at += len(data)
            if d["kind"] != "claim":
                entries.append(entry(d, sorted(compact(x) for x in t.types(iri))))
        return cls(entries, offsets, b"".join(parts))

    def to_bytes(self) -> bytes:
        head = json.dumps({"entries": self.entries, "offsets": self.offsets}, ensure_ascii=False,
                          sort_keys=True, separators=(",", ":"))
        return head.encode() + b"\n" + self.body

    @classmethod
    def from_bytes(cls, data: bytes) -> Explorer:
        head, _, body = data.partition(b"\n")
        index = json.loads(head)
        return cls(index["entries"], index["offsets"], body)

    # -- looking up --------------------------------------------------------------------

    def has(self, iri: str) -> bool:
        return iri in self.offsets

    def descriptions(self):
        """Every description, by IRI in order (for pages that render them all)."""
        for iri in sorted(self.offsets):
            yield iri, self.description(iri)

    def description(self, iri: str) -> dict:
        start, end = self.offsets[iri]
        return json.loads(self.body[start:end])

    def closest(self, text: str, within: list[dict] | None = None) -> list[dict]:
        """The entries closest to a text or IRI that matched nothing."""
        name = text
        expanded = expand(text) if not _is_url(text) else text
        if expanded and expanded.startswith(iris.BASE):
            name = expanded[len(iris.BASE):].replace("/", " ")
        query = normalize(name)
        return suggestions(query, within if within is not None else self.entries, SHOWN_CANDIDATES // 2)

    def search(self, text: str, type_: str | None = None, limit: int = DEFAULT_LIMIT) -> dict:
        """Resources whose names match ``text``, best first (see kg/explore/match.py).

        Args:
            text: any label (English, Japanese, Korean), short label, slug, id or case number.
            type_: only resources of this class (``dkg:Person``, ``Person`` or ``person``).
            limit: how many results to return (1 to 500).

        Returns:
            ``{"query", "type", "total", "results", "closest"}``: results are search entries
            (without their keys) with ``match`` (exact, prefix, token, partial, fuzzy) and
            ``matched`` (the name that matched: ``{"kind", "text", "lang"}``); ``total`` counts
            every match; ``closest`` (``[{"id", "label"}]``) are looser suggestions when nothing
            matched at all.

        Raises:
            ExploreError: empty text, control characters, too long, a bad limit.
            UnknownResourceError: ``type_`` names no class.
        """
        text = check_text(text)
        if not 1 <= limit <= MAX_LIMIT:
            raise ExploreError(f"--limit must be between 1 and {MAX_LIMIT}, found {limit}")
        pool = self.entries
        cls = None
        if type_ is not None:
            cls = self.resolve_class(type_)
            pool = [e for e in pool if cls in e["types"]]
        found = rank(normalize(text), pool)
        results = [{**{k: v for k, v in e.items() if k != "keys"}, "match": TIERS[order[0]],
                    "matched": {k: key[k] for k in ("kind", "text", "lang")}}
                   for order, e, key in found[:limit]]
        closest = [] if found else [{"id": e["id"], "label": e["label"]} for e in self.closest(text, pool)]
        return {"query": text, "type": cls, "total": len(found), "results": results, "closest": closest}

    def resolve_class(self, name: str) -> str:
        """The compact IRI of the class ``name`` gives (compact, full IRI, local name or label)."""
        name = check_text(name, "class name")
        classes = [e for e in self.entries if e["kind"] == "class"]
        iri = name if _is_url(name) else expand(name)
        for e in classes:
            if iri == e["iri"]:
                return e["id"]
        query = normalize(name)
        exact = [e for e in classes if any(k["norm"] == query and k["kind"] in ("label", "slug")
                                           for k in e["keys"])]
        if len(exact) == 1:
            return exact[0]["id"]
        closest = [e["id"] for e in (exact or self.closest(name, classes))]
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        raise UnknownResourceError(f"no class named {name!r}{hint} "
                                   "(see the README cheat sheet for the main classes)", closest)

    def resolve(self, name: str) -> str:
        """The IRI of the resource ``name`` gives: a compact or full IRI, a slug, or a label
        matching one resource better than any other.

        Raises:
            ExploreError: bad text, or an IRI outside the graph's namespaces.
            AmbiguousNameError: several resources match equally well.
            UnknownResourceError: nothing matches; with the closest names.
        """
        name = check_text(name, "name", MAX_NAME)
        iri = name if _is_url(name) else expand(name)
        if iri is not None:
            if self.has(iri):
                return iri
            if not iri.startswith(iris.BASE):
                known = ", ".join(sorted({iris.ID, iris.DKG}))
                raise ExploreError(f"{name} is outside the graph's namespaces ({known}); "
                                   "search by name with 'dispute-kg search'")
            return self._unknown(name)
        slugs = [e for e in self.entries if e["id"].partition(":")[2] == name]
        if len(slugs) == 1:
            return slugs[0]["iri"]
        if slugs:
            best = slugs
        else:
            found = rank(normalize(name), self.entries, allow_fuzzy=False)
            if not found:
                return self._unknown(name)
            best = [e for order, e, _ in found if order[0] == found[0][0][0]]
        if len(best) == 1:
            return best[0]["iri"]
        shown = best[:SHOWN_CANDIDATES]
        more = f" and {len(best) - len(shown)} more" if len(best) > len(shown) else ""
        listing = "; ".join(f"{e['id']} ({e['label']})" for e in shown)
        raise AmbiguousNameError(f"{name!r} matches {len(best)} resources: {listing}{more}; "
                                 "give one of these ids", [e["id"] for e in best])

    def _unknown(self, name: str):
        closest = self.closest(name)
        hint = ("; closest: " + "; ".join(f"{e['id']} ({e['label']})" for e in closest)) if closest else ""
        raise UnknownResourceError(f"{name} is not in the graph{hint}", [e["id"] for e in closest])

    def describe(self, name: str) -> dict:
        """The description of the resource ``name`` gives (see :meth:`resolve`, and
        kg/explore/describe.py for the shape)."""
        return self.description(self.resolve(name))


def _is_url(text: str) -> bool:
    scheme, sep, rest = text.partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalpha() and bool(rest)


def cache_name(facts_dir: Path | None, reasoner: str) -> str:
    """The cache entry of a graph's explorer: the inferred graph's inputs and this code."""
    code = sorted((resources.PACKAGE_DIR / "explore").glob("*.py"))
    code.append(resources.PACKAGE_DIR / "query" / "prefixes.py")
    return f"explore-{resources.digest(code, extra=cache.inputs_digest(facts_dir, reasoner))}.json"


def load(facts_dir: Path | None, reasoner: str, ntriples: Callable[[], bytes]) -> Explorer:
    """The explorer of a graph, from the cache, else built from ``ntriples()`` and cached."""
    name = cache_name(facts_dir, reasoner)
    data = cache.read(name)
    if data is None:
        data = Explorer.build(ntriples()).to_bytes()
        cache.write(name, data)
    return Explorer.from_bytes(data)

