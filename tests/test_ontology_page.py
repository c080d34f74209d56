"""The ontology's documentation page (pyLODE) is about the ontology, not about the SKOS scheme
of event codes that the ontology also holds."""

from __future__ import annotations

import re
from html import unescape

from rdflib import DCTERMS, URIRef

from kg.graph import iris
from kg.graph.ontology import load_ontology
from kg.publish.docs import ontology_html


def test_the_page_title_and_heading_are_the_ontologys():
    ontology = load_ontology()
    title = str(ontology.value(URIRef(iris.ONTOLOGY_IRI), DCTERMS.title))
    page = ontology_html(ontology).decode("utf-8")
    assert unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip() == title
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", heading)).strip() == title
    assert "CAMEO and PLOVER event codes" not in unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(0))
