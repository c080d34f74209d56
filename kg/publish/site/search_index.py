"""The site's search index: every named resource with all its names, for a search without a server.

Written as a script (``assets/search-index.js``) rather than JSON, because a page opened from
a folder (``file://``) may run a script beside it but may not fetch a file. Names are kept as
written; the page's script normalises them (NFKC, lower case, no accents) the way it
normalises what a reader types, so both sides match by the same rule.
"""

from __future__ import annotations

import json

from kg.publish.site.model import DKG, SiteModel

#: Literal values, besides labels, that name a resource (a WTO case number, a short label).
NAMES = (DKG + "caseNumber", DKG + "shortLabel")
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
WIKIDATA = "http://www.wikidata.org/entity/"


def entries(model: SiteModel) -> list[list]:
    """One entry per named resource: [page, title, kind, [every name]], by page.

    Claims have no names of their own (they are found through their record and source).
    """
    out = []
    for resource in sorted(model.resources.values(), key=lambda r: r.page):
        if DKG + "Claim" in resource.classes:
            continue
        graph = model.graph
        names = [lit.value for lit in graph.labels(resource.iri)]
        names += [o.value for p in NAMES for o in graph.objects(resource.iri, p) if not isinstance(o, str)]
        names += [o[len(WIKIDATA):] for o in graph.objects(resource.iri, SKOS_EXACT)
                  if isinstance(o, str) and o.startswith(WIKIDATA)]
        names.append(resource.path.rsplit("/", 1)[-1].replace("-", " "))
        out.append([resource.page, resource.title, resource.kind_text, sorted(set(names) - {resource.title})])
    return out


def script(model: SiteModel) -> bytes:
    """The index as ``window.DKG_SEARCH_INDEX = [...]``, safe to load as a script."""
    text = json.dumps(entries(model), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.DKG_SEARCH_INDEX = {text};\n".encode("utf-8")
