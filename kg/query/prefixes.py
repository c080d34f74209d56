"""The prefixes every query may use undeclared, and the one table of them users see.

The table is ``kg.graph.iris.PREFIXES``: our namespaces (``dkg:``, ``event:``, ``agent:``, ...)
and the standard ones. Local engines get it from their own SPARQL parsers (Oxigraph's
``prefixes=``, rdflib's ``initNs``), where a query's own ``PREFIX`` declaration wins. A remote
store knows none of them, so :func:`declare_missing` reads the query's prologue (the
``BASE``/``PREFIX`` declarations that open every SPARQL query, by the grammar's tokens) and
declares, right after it and on the same line, each prefix the query does not declare itself.
"""

from __future__ import annotations

import functools
import re

from kg.graph import iris

PREFIXES = iris.PREFIXES

#: What each prefix is for, shown by ``dispute-kg prefixes``.
NOTES = {
    "dkg": "the dispute-kg ontology: classes and properties",
    "rdf": "RDF", "rdfs": "RDF Schema (rdfs:label)", "owl": "OWL", "xsd": "XML Schema datatypes",
    "skos": "SKOS (notes, definitions, Wikidata links)", "dcterms": "Dublin Core terms",
    "vann": "vocabulary annotations", "prov": "PROV-O provenance", "time": "OWL-Time",
    "org": "W3C Organization ontology (posts, memberships)", "foaf": "FOAF",
    "schema": "schema.org", "wd": "Wikidata entities",
    "source": "source documents (news reports, official documents)",
    "agent": "states, persons, organisations, firms, anonymous sources",
    "place": "places", "material": "materials (photoresist, hydrogen fluoride, ...)",
    "post": "posts (offices) such as ministers", "tenure": "a person's holding of a post",
    "agreement": "agreements", "case": "court cases and WTO disputes",
    "event": "events: measures, steps, meetings, rulings", "statement": "statements",
    "claim": "what one source says about one record",
}

# The SPARQL 1.1 prologue, token by token (grammar rules [4]-[6], [139], [140], [168]).
_IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                  "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
                  "\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00B7\u0300-\u036F\u203F-\u2040-"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"


@functools.cache
def _prologue_token() -> re.Pattern:
    """Compiled on first use: the character classes take milliseconds every command would pay."""
    return re.compile(
        rf"(?P<space>[ \t\r\n]+|#[^\n]*)"
        rf"|(?i:BASE)[ \t\r\n]*{_IRIREF}"
        rf"|(?P<declaration>(?i:PREFIX)[ \t\r\n]*(?P<prefix>{_PN_PREFIX})?:)[ \t\r\n]*{_IRIREF}")


def prologue(text: str) -> tuple[set[str], int]:
    """The prefixes a query declares, and where its prologue ends (before the query form)."""
    declared, at, end = set(), 0, 0
    while True:
        token = _prologue_token().match(text, at)
        if token is None or token.end() == at:
            return declared, end
        if token.group("declaration"):
            declared.add(token.group("prefix") or "")
        if not token.group("space"):
            end = token.end()
        at = token.end()


def declare_missing(text: str) -> str:
    """The query with a ``PREFIX`` declaration for every known prefix it does not declare,
    inserted on one line after its prologue so error line numbers stay the same."""
    declared, end = prologue(text)
    missing = [f"PREFIX {name}: <{namespace}>" for name, namespace in PREFIXES.items()
               if name not in declared]
    if not missing:
        return text
    return f"{text[:end]}{' ' if end else ''}{' '.join(missing)} {text[end:]}"


def expand(name: str) -> str | None:
    """The full IRI of a compact one (``event:kono-kang-meeting-beijing-2019-08-21``), or None
    when ``name`` does not start with a known prefix."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


compact = iris.compact
