"""Finding your way without SPARQL: search by name, describe one resource, explain empty answers.

Everything here is computed once per graph from the inferred N-Triples and cached as JSON
(keyed like the inferred graph itself), so ``dispute-kg search`` and ``describe`` read a file
and import neither rdflib nor pyoxigraph.

- ``triples``: the inferred graph as in-memory lookups, reduced to what was said (no inverse or
  super-property copies), with labels and most specific types.
- ``describe``: one plain-data description per resource (its shape is documented there).
- ``index``: the search entries, the cached :class:`~kg.explore.index.Explorer` and its cache.
- ``match``: text normalisation, ranking, name resolution and closest-match suggestions.
- ``explain``: unknown parameter values and empty stored-query answers, explained.
- ``render``: search results and descriptions as text; ``cbd``: a description as Turtle.
"""
