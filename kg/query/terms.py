"""RDF terms in query answers: a small frozen value (cheap to hash, sort and pickle), written
and checked by pyoxigraph, the one place where terms are escaped and IRIs validated."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import QueryError

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term as kind ('iri', 'literal', 'bnode'), value, datatype and language."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def oxigraph(self):
        """The pyoxigraph term (a NamedNode, BlankNode or Literal).

        Raises:
            QueryError: the value is not a valid IRI, blank node label or language tag.
        """
        import pyoxigraph as ox

        try:
            if self.kind == "iri":
                return ox.NamedNode(self.value)
            if self.kind == "bnode":
                return ox.BlankNode(self.value)
            if self.language:
                return ox.Literal(self.value, language=self.language)
            return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype or XSD + "string"))
        except ValueError as exc:
            raise QueryError(f"not a valid RDF term: {self.value!r} ({exc})") from None

    def n3(self) -> str:
        """The term in N-Triples syntax (also SPARQL and SPARQL results TSV syntax)."""
        return str(self.oxigraph())

    def plain(self) -> str:
        return self.value


def from_oxigraph(term) -> Term | None:
    """A pyoxigraph term (or None, an unbound cell) as a Term; xsd:string literals are plain.

    Raises:
        QueryError: an RDF 1.2 triple term, which answers here never hold.
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if not isinstance(term, ox.Literal):
        raise QueryError(f"unsupported RDF term in an answer: {term}")
    if term.language:
        return Term("literal", term.value, None, term.language)
    datatype = term.datatype.value
    return Term("literal", term.value, None if datatype == XSD + "string" else datatype)


def check_iri(value: str) -> str:
    """``value`` if it is an absolute IRI that can be written in N-Triples and SPARQL.

    Raises:
        QueryError: naming the value.
    """
    Term("iri", value).oxigraph()
    return value
