"""reasonable answers in light terms (kg.reason.closure.light_terms): the same lines as with
rdflib's terms, and rdflib's names are given back whatever happens."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import XSD, Literal, URIRef

from kg.graph import ntriples
from kg.reason import closure as closure_module
from kg.reason.closure import Written, entailed_lines, light_terms, literal

EX = "https://w3id.org/dispute-kg/id/event/x"


@pytest.mark.parametrize("lexical, lang, datatype", [
    ("plain text", None, None),
    ('a "quoted"\nline\twith\\escapes\u0007', None, None),
    ("Bangkok", "EN", None),
    ("東京", "ja", None),
    ("text", None, str(XSD.string)),
    ("2019-08-21", None, str(XSD.date)),
    ("2019-02-30", None, str(XSD.date)),        # no such day: rdflib keeps it as written
    ("2019-08-21Z", None, str(XSD.date)),       # rdflib drops the zone: so must we
    ("05", None, str(XSD.positiveInteger)),     # rdflib writes 5
    ("1", None, str(XSD.boolean)),              # rdflib writes true
    ("1.50", None, str(XSD.decimal)),
    ("2019-08-21T10:00:00", None, str(XSD.dateTime)),
    ("2019", None, str(XSD.gYear)),
])
def test_a_literal_is_written_as_rdflib_writes_it(lexical, lang, datatype):
    expected = ntriples.term(Literal(lexical, lang, URIRef(datatype) if datatype else None))
    assert literal(lexical, lang, datatype) == expected
    assert type(literal(lexical, lang, datatype)) is Written


def test_rdflib_names_are_given_back_even_when_the_reasoner_fails():
    saved = rdflib.URIRef, rdflib.Literal, rdflib.BNode
    with pytest.raises(RuntimeError):
        with light_terms():
            assert rdflib.URIRef is closure_module.Iri
            raise RuntimeError("the reasoner failed")
    assert (rdflib.URIRef, rdflib.Literal, rdflib.BNode) == saved


def test_the_closure_in_light_terms_is_the_closure_in_rdflib_terms(monkeypatch):
    asserted = {
        f"<{EX}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/dispute-kg/ontology#Meeting> .",
        f'<{EX}> <https://w3id.org/dispute-kg/ontology#earliestDate> "2019-08-21"^^<{XSD.date}> .',
        f'<{EX}> <http://www.w3.org/2000/01/rdf-schema#label> "Meeting"@en .',
        f'<{EX}> <https://w3id.org/dispute-kg/ontology#count> "05"^^<{XSD.positiveInteger}> .',
        f"<{EX}> <https://w3id.org/dispute-kg/ontology#about> _:b .",
        "<https://w3id.org/dispute-kg/ontology#earliestDate> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> "
        "<https://schema.org/startDate> .",
    }
    light = entailed_lines(closure_module.closure(asserted), asserted)
    monkeypatch.setattr(closure_module, "light_terms", _no_change)
    heavy = closure_module.closure(asserted)
    assert any(isinstance(t, URIRef) for triple in heavy for t in triple)
    as_lines = set()
    for s, p, o in heavy:
        if isinstance(s, URIRef) and s.startswith(closure_module.iris.ID) and not isinstance(o, rdflib.BNode):
            line = f"{ntriples.term(s)} {ntriples.term(p)} {ntriples.term(o)} ."
            if line not in asserted and not (str(p).endswith("#sameAs") and s == o):
                as_lines.add(line)
    assert light == as_lines
    assert f'<{EX}> <https://schema.org/startDate> "2019-08-21"^^<{XSD.date}> .' in light
    assert f'<{EX}> <https://w3id.org/dispute-kg/ontology#count> "5"^^<{XSD.positiveInteger}> .' in light


class _no_change:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
