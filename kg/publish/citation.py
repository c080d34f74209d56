"""How to cite the data: CITATION.cff (GitHub, Zotero, cffconvert) and .zenodo.json (Zenodo deposits).

Both are rendered from the version source: ``kg.__version__`` and the
ontology header a test keeps equal to it (licence, issue date). The files at
the top of the repository are these renderings (a test compares them), and
every release carries ``CITATION.cff`` too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kg.graph import iris
from kg.publish.dcat import DESCRIPTION, KEYWORDS

TITLE = "dispute-kg: a sourced knowledge graph of the 2019-2023 Japan-South Korea export-control dispute"
AUTHOR = "dispute-kg contributors"
#: SPDX identifiers: the data (facts, ontology, shapes, release files) and the code.
LICENSES = ("CC-BY-4.0", "MIT")
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Header:
    """What the ontology header says about the release."""

    version: str
    license: str | None
    issued: str | None
    modified: str | None


def ontology_header(ontology=None) -> Header:
    """Version, licence and dates from the ontology header.

    Args:
        ontology: an rdflib graph of the ontology; the packaged ontology files (read with
            pyoxigraph) by default.
    """
    keys = {iris.PREFIXES["owl"] + "versionInfo": "version", iris.PREFIXES["dcterms"] + "license": "license",
            iris.PREFIXES["dcterms"] + "issued": "issued", iris.PREFIXES["dcterms"] + "modified": "modified"}
    found: dict[str, str] = {}
    if ontology is None:
        import pyoxigraph as ox

        from kg.resources import ontology_files

        for path in ontology_files():
            for t in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE):
                if t.subject == ox.NamedNode(iris.ONTOLOGY_IRI) and t.predicate.value in keys:
                    found[keys[t.predicate.value]] = t.object.value
    else:
        from rdflib import URIRef

        for predicate, key in keys.items():
            value = ontology.value(URIRef(iris.ONTOLOGY_IRI), URIRef(predicate))
            if value is not None:
                found[key] = str(value)
    from kg import __version__

    return Header(__version__, found.get("license"), found.get("issued"), found.get("modified"))


def citation_cff(header: Header) -> bytes:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset."""
    import yaml

    document = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": TITLE,
        "abstract": DESCRIPTION,
        "authors": [{"name": AUTHOR}],
        "version": header.version,
        "license": list(LICENSES),
        "url": iris.BASE,
        "keywords": list(KEYWORDS),
    }
    if header.issued:
        document["date-released"] = header.issued
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return ("# Rendered by kg/publish/citation.py from the version source; do not edit by hand.\n"
            + text).encode("utf-8")


def zenodo_json(header: Header) -> bytes:
    """.zenodo.json: the metadata Zenodo reads when a release is archived."""
    document = {
        "title": TITLE,
        "description": DESCRIPTION,
        "upload_type": "dataset",
        "version": header.version,
        "creators": [{"name": AUTHOR}],
        "keywords": list(KEYWORDS),
        "license": "cc-by-4.0" if header.license == CC_BY else None,
        "access_right": "open",
    }
    if header.issued:
        document["publication_date"] = header.issued
    document = {k: v for k, v in document.items() if v is not None}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
