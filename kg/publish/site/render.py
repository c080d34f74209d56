"""Write the site: every page through Jinja2 templates (autoescaped), and each resource's
description as Turtle, JSON-LD and N-Triples beside its page.

Facts are input: every label, quote and note goes through the templates' escaping, so a label
holding ``<script>`` shows as text. The few pieces inserted unescaped are made by our code and
escaped there: the timeline's SVG (kg/publish/timeline_render.py) and JSON in data blocks
(:func:`script_json`). Pages load only the site's own CSS and scripts; their
Content-Security-Policy forbids everything else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from kg.graph import iris
from kg.graph.rdfio import jsonld_document, turtle_from_triples
from kg.publish.site import schema_org, search_index
from kg.publish.site.graph import RDF_TYPE, SEGMENTS, SiteGraph, path_of
from kg.publish.site.model import DKG, LISTS, Resource, SiteModel, href
from kg.publish.site.pages import PageBuilder
from kg.publish.site.split import in_two

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'")
#: Alternate forms of a resource: media type -> suffix, and how a page names them.
ALTERNATES = (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"))
FORMAT_NAMES = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD", "application/n-triples": "N-Triples"}
ASSETS = ("site.css", "errors.js", "search.js", "query.js")
#: What each release file holds, for the index (by name; graphs by their suffix).
FILE_NOTES = {
    "dispute-kg": "the asserted graph: ontology plus curated facts",
    "dispute-kg-inferred": "the same with its OWL 2 RL closure (what queries answer from)",
    "dispute-kg-ontology": "the ontology alone",
    "dispute-kg-shapes": "the SHACL shapes",
    "dispute-kg-by-source.trig": "the curated facts, one named graph per source document",
    "validation-report.ttl": "the SHACL report of this build",
    "void.ttl": "a VoID description: counts, partitions, dumps, licence, links",
    "context.jsonld": "the JSON-LD context every .jsonld file embeds",
    "timeline.html": "the interactive timeline",
    "timeline.svg": "the timeline as a static picture",
    "ontology.html": "the ontology's documentation page",
    "catalog-v001.xml": "Protégé's catalog for opening the ontology offline",
    "SHA256SUMS": "checksums of every other file",
}
DESCRIPTION = ("A knowledge graph of the 2019-2023 Japan-South Korea export-control dispute: every event, "
               "measure, meeting and statement, the people, posts and organisations involved, each fact "
               "traced to the sentence of the source document that supports it, with its dates as "
               "precisely as the sources give them.")
SUFFIX_NAMES = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}
MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
         ".trig": "application/trig", ".html": "text/html", ".svg": "image/svg+xml", ".xml": "application/xml"}


@dataclass
class SiteInputs:
    """What the site is made from.

    Attributes:
        asserted: the asserted graph (ontology + facts) as sorted N-Triples.
        timeline: the laid-out timeline data (kg.publish.timeline.Timeline).
        version: the release's version.
        context: the JSON-LD context the release's files embed.
        release: release file name -> size in bytes, listed on the index.
        endpoint: a public SPARQL endpoint to name on the index.
        ontology_page: the release's ontology.html, whose ids the pages link to.
    """

    asserted: bytes
    timeline: object
    version: str
    context: dict
    release: dict[str, int] = field(default_factory=dict)
    endpoint: str | None = None
    ontology_page: str = ""


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment: templates from the package, autoescaped, strict about names."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def script_json(value) -> str:
    """JSON safe inside a <script> data block: nothing in it can close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


class SiteWriter:
    """Renders every file of the site from one model of the graph."""

    def __init__(self, inputs: SiteInputs):
        self.inputs = inputs
        self.graph = SiteGraph(inputs.asserted)
        self.model = SiteModel(self.graph)
        when = {event.iri: event.date_text for event in inputs.timeline.events}
        self.pages = PageBuilder(self.model, when, set(re.findall(r'\sid="([^"]+)"', inputs.ontology_page)))
        self.env = environment()
        self.on_timeline = set(when)
        self._frames: dict[str, dict] = {}
        self._by_namespace = {ns: p for p, ns in sorted(inputs.context.items()) if isinstance(ns, str)}

    def common(self, at: str, page_kind: str, title: str, root: str | None = None) -> dict:
        """What every page's frame needs; the header and footer are rendered once per depth."""
        root = href(at, "index.html")[: -len("index.html")] if root is None else root
        frame = self._frames.get(root)
        if frame is None:
            values = {"root": root, "version": self.inputs.version, "lists": LISTS}
            frame = self._frames[root] = {
                part: Markup(self.env.get_template(f"{part}.html").render(**values)) for part in ("header", "footer")}
        return {"root": root, "csp": CSP, "version": self.inputs.version, "page_kind": page_kind,
                "title": title, **frame}

    def files(self) -> dict[str, bytes]:
        """Every file of the site, by path under ``site/``."""
        out: dict[str, bytes] = {}
        for name in ASSETS:
            out[f"assets/{name}"] = (HERE / "assets" / name).read_bytes()
        out["assets/search-index.js"] = search_index.script(self.model)
        out.update(in_two(self.resource_files, list(self.model.resources.values())))
        for spec in LISTS:
            out[f"lists/{spec.key}.html"] = self.list_page(spec)
        out["index.html"] = self.index()
        from kg.publish.timeline_render import render_html

        out["timeline.html"] = render_html(self.inputs.timeline,
                                           link=lambda iri: self.link("timeline.html", iri)).encode("utf-8")
        out["query.html"] = self.query_page()
        out["404.html"] = self.not_found("", [], root="/")
        from kg.publish.site.negotiation import htaccess

        out[".htaccess"] = htaccess().encode("utf-8")
        return out

    # -- a resource ------------------------------------------------------------------------

    def descriptions(self, resource: Resource) -> dict[str, bytes]:
        """The resource's concise bounded description in each alternate form, by suffix."""
        nt, triples = self.graph.description(resource.iri)
        used = self.prefixes_used(triples)
        document = jsonld_document(triples, used)
        return {".nt": nt, ".ttl": turtle_from_triples(triples, used),
                ".jsonld": (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                            + "\n").encode("utf-8")}

    def prefixes_used(self, triples) -> dict[str, str]:
        """The context's prefixes whose namespaces the triples' IRIs and datatypes are in."""
        import pyoxigraph as ox

        found = {}
        for triple in triples:
            for term in (triple.subject, triple.predicate, triple.object):
                iri = term.value if isinstance(term, ox.NamedNode) else \
                    term.datatype.value if isinstance(term, ox.Literal) and not term.language else None
                if iri is not None:
                    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
                    prefix = self._by_namespace.get(iri[:cut])
                    if prefix:
                        found[prefix] = iri[:cut]
        return dict(sorted(found.items()))

    def resource_files(self, resource: Resource) -> dict[str, bytes]:
        """A resource's page and its descriptions, by path."""
        template = self.env.get_template("resource.html")
        out = {resource.path + suffix: data for suffix, data in self.descriptions(resource).items()}
        at = resource.page
        name = resource.path.rsplit("/", 1)[-1]
        spec = self.list_of(resource)
        timeline = href(at, "timeline.html") + "#event=" + _quote(resource.iri) \
            if resource.iri in self.on_timeline else None
        html = template.render(
            **self.common(at, "resource", resource.title), page=self.pages.page(resource),
            alternates=[(media, name + suffix) for media, suffix in ALTERNATES], formats=FORMAT_NAMES,
            schema_json=script_json(schema_org.describe(self.model, resource)),
            list_key=spec.key if spec else "events", list_heading=spec.heading if spec else "Events by year",
            timeline_link=timeline)
        out[at] = html.encode("utf-8")
        return out

    def list_of(self, resource: Resource):
        return next((spec for spec in LISTS if any(c in resource.classes for c in spec.classes)
                     and not any(c in resource.classes for c in spec.exclude)), None)

    # -- lists, index, query page, 404 -------------------------------------------------------

    def list_page(self, spec) -> bytes:
        at = f"lists/{spec.key}.html"
        members = self.model.members(spec)
        groups: list[tuple[str, list[Resource]]] = []
        for resource in members:
            year = (resource.date or "")[:4] if spec.by_year else ""
            if not groups or groups[-1][0] != year:
                groups.append((year, []))
            groups[-1][1].append(resource)
        return self.env.get_template("list.html").render(
            **self.common(at, "list", spec.heading), spec=spec, members=members,
            groups=groups).encode("utf-8")

    def index(self) -> bytes:
        from kg.publish.timeline_render import render_svg
        from kg.query.catalogue import catalogue

        inputs, graph, model = self.inputs, self.graph, self.model
        ontology = iris.ONTOLOGY_IRI
        title = "dispute-kg: the Japan–South Korea export-control dispute, 2019–2023"
        description = DESCRIPTION
        events = model.of_class(DKG + "Event")
        days = sorted(r.date for r in events if r.date)
        coverage = (f"{len(events)} events from {days[0]} to {days[-1]}, each with its sources, "
                    f"the people and organisations involved, and the posts people held at the time."
                    if days else "No events yet.")
        counts = []
        for spec in LISTS:
            counts.append((spec.heading.replace(" by year", ""), len(model.members(spec)),
                           f"lists/{spec.key}.html"))
        counts.append(("Tenures (who held which post when)", len(model.of_class(DKG + "Tenure")), None))
        claims = sum(1 for p, _ in graph.incoming.get(DKG + "Claim", ()) if p == RDF_TYPE)
        counts.append(("Claims (what a source says, quoted; on the pages of what they are about)", claims, None))
        files = [(name, self._file_note(name), size) for name, size in sorted(inputs.release.items())]
        downloads = [(name, MEDIA.get(Path(name).suffix, "application/octet-stream"))
                     for name, _, _ in files if Path(name).suffix in (".ttl", ".nt", ".jsonld", ".trig")]
        licence = graph.first(ontology, iris.PREFIXES["dcterms"] + "license")
        dataset = schema_org.dataset(title, description, inputs.version,
                                     licence if isinstance(licence, str) else None, downloads,
                                     days[0] if days else None, days[-1] if days else None)
        return self.env.get_template("index.html").render(
            **self.common("index.html", "index", "Home"), heading=title, description=description,
            coverage=coverage, counts=counts, files=files, endpoint=inputs.endpoint,
            list_counts=[(spec, len(model.members(spec))) for spec in LISTS],
            queries=list(catalogue().values()), schema_json=script_json(dataset),
            timeline_svg=Markup(render_svg(inputs.timeline, link=lambda iri: self.link("index.html", iri))),
        ).encode("utf-8")

    def link(self, at: str, iri: str) -> str | None:
        """A relative link from page ``at`` to the page of ``iri`` (None if it has none)."""
        target = self.model.resources.get(iri)
        return href(at, target.page) if target else None

    def _file_note(self, name: str) -> str:
        path = Path(name)
        if name in FILE_NOTES:
            return FILE_NOTES[name]
        if path.stem in FILE_NOTES and path.suffix in SUFFIX_NAMES:
            return f"{FILE_NOTES[path.stem]} ({SUFFIX_NAMES[path.suffix]})"
        return ""

    def query_page(self) -> bytes:
        from kg.query.catalogue import catalogue

        queries = list(catalogue().values())
        prefixes = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in sorted(iris.PREFIXES.items()))
        stored = [{"name": q.name, "summary": q.summary, "text": q.text} for q in queries]
        return self.env.get_template("query.html").render(
            **self.common("query.html", "query", "SPARQL"), queries=queries, prefixes=prefixes,
            queries_json=script_json(stored)).encode("utf-8")

    def not_found(self, missing: str, suggestions: list[Resource], root: str | None = None) -> bytes:
        """The page for an address that names nothing: what addresses look like, and guesses."""
        values = self.common("404.html", "not-found", "Not found", root=root)
        return self.env.get_template("notfound.html").render(
            **values, missing=missing, suggestions=suggestions,
            segments=sorted(SEGMENTS)).encode("utf-8")


    def claims(self) -> dict[str, str]:
        """Each claim's path -> the path of the record whose page and description hold it."""
        found = {}
        for subject in self.graph.out:
            link = self.model.claim_link(subject) if subject.startswith(iris.ID) else None
            if link is not None:
                found[path_of(subject)] = link[0].path
        return found

    def missing(self, path: str, suggested: list[str]) -> bytes:
        """The 404 page ``serve`` answers for ``path``, suggesting resources by their paths."""
        by_path = {r.path: r for r in self.model.resources.values()}
        return self.not_found(path, [by_path[p] for p in suggested if p in by_path], root="/")


def _quote(iri: str) -> str:
    from urllib.parse import quote

    return quote(iri, safe="")


def site_files(inputs: SiteInputs) -> dict[str, bytes]:
    """Every file of the site, by path under ``site/``.

    Args:
        inputs: the graph, timeline and release the site shows.

    Returns:
        Path -> bytes; the same inputs give the same bytes.
    """
    return SiteWriter(inputs).files()
