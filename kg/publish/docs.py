"""The ontology as one HTML page (pyLODE), written into the release by ``dispute-kg build``.

pyLODE 3.2.1 is pinned: 3.4.1 fails at start-up looking for a pyproject.toml
inside site-packages (GUIDE section 9). The page lists the ontology's
metadata, classes, properties with their definitions, domains, ranges and
examples (``skos:example``). It is rendered offline and is byte-identical
between runs (subjects sorted, no timestamps).

The reused terms the ontology declares only so that it is in OWL 2 DL (see
the "Reused terms" section of ontology/dispute-kg.ttl) are left off the page:
they have no labels or definitions here, and pyLODE links them where they are
used as super-classes, super-properties, domains or ranges.
"""

from __future__ import annotations

import builtins
import logging

from rdflib import OWL, RDF, SKOS, URIRef

from kg.graph import iris


def _ontpub():
    """pyLODE's page maker; its import configures the root logger at DEBUG, which we undo
    so a build does not print pyLODE's and asyncio's debug lines."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    from pylode import OntPub, utils

    root.handlers[:] = handlers
    root.setLevel(level)
    utils.open = _open_or_not_found  # module global: shadows the builtin inside pyLODE's utils only
    return OntPub


def _open_or_not_found(file, mode="r", *args, **kwargs):
    """``open`` for pyLODE's utils. On first use pyLODE pickles its background ontologies
    into its own folder in site-packages, and handles only FileNotFoundError: on a read-only
    install (EROFS, EACCES) the build would fail. A write it cannot make becomes that error,
    so pyLODE logs "Could not cache" and renders the page anyway."""
    try:
        return builtins.open(file, mode, *args, **kwargs)
    except OSError as exc:
        if any(flag in mode for flag in "wax+") and not isinstance(exc, FileNotFoundError):
            raise FileNotFoundError(exc.errno, exc.strerror, file) from exc
        raise


def _own_terms_only(ontology):
    """A copy without the bare declarations of other vocabularies' terms, and without the
    typing of our event-code concept scheme: pyLODE takes any skos:ConceptScheme for the
    document's subject (its title and metadata would become the page's)."""
    from kg.graph.namespaces import new_graph

    declared = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    foreign = {s for s, o in ontology.subject_objects(RDF.type)
               if o in declared and isinstance(s, URIRef) and not s.startswith(iris.DKG)}
    page = new_graph()
    for s, p, o in ontology:
        if p == RDF.type and (s in foreign or o == SKOS.ConceptScheme):
            continue
        page.add((s, p, o))
    return page


def ontology_html(ontology=None) -> bytes:
    """The HTML documentation page of the ontology.

    Args:
        ontology: the ontology graph; the packaged ontology by default.

    Returns:
        A complete HTML document (UTF-8) with its CSS inlined.
    """
    from kg.graph.ontology import load_ontology

    page = _own_terms_only(ontology if ontology is not None else load_ontology())
    html = _ontpub()(ontology=page, sort_subjects=True).make_html(include_css=True)
    return _stable_json_ld(html).encode("utf-8")


def _stable_json_ld(html: str) -> str:
    """pyLODE embeds schema.org JSON-LD in rdflib's store order, which follows each
    process's string hashing; sort its nodes and arrays so the page has the same bytes
    in every process."""
    import json
    import re

    def stable(value, ordered=False):
        if isinstance(value, list):
            items = [stable(v) for v in value]
            return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: stable(v, ordered=k == "@list") for k, v in value.items()}
        return value

    def rewrite(match):
        document = stable(json.loads(match.group(2)))
        return match.group(1) + "\n" + json.dumps(document, indent=2, sort_keys=True) + "\n\t" + match.group(3)

    return re.sub(r'(<script[^>]*application/ld\+json[^>]*>)(.*?)(</script>)', rewrite, html,
                  count=1, flags=re.S)


def cached_ontology_html(ontology) -> bytes:
    """:func:`ontology_html`, from the build cache while the ontology, this module and
    pyLODE are unchanged: rendering takes pyLODE about a quarter of a second, a sixth of
    a whole build, and the page depends on nothing else."""
    import hashlib
    from importlib.metadata import version
    from pathlib import Path

    from kg.cache import cache_dir
    from kg.files import write_atomic
    from kg.graph import ntriples

    key = hashlib.sha256(b"\0".join([ntriples.document(ntriples.lines(ontology)), version("pylode").encode(),
                                     Path(__file__).read_bytes()])).hexdigest()[:32]
    cached = cache_dir() / f"ontology-{key}.html"
    if cached.is_file():
        return cached.read_bytes()
    page = ontology_html(ontology)
    try:
        write_atomic(cached, page)
    except OSError:
        pass  # a read-only home is no reason to fail a build
    return page
