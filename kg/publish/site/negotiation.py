"""Content negotiation for resource IRIs: one table of media types, used by ``serve`` and by the
Apache rules shipped with the site, so both answer the same way.

``/id/<kind>/<slug>`` answers 303 See Other to the document in the form the ``Accept`` header
prefers: the page (``.html``), Turtle, JSON-LD or N-Triples. The Accept header is parsed here
(media ranges with q-values, RFC 9110 section 12.5.1) because the standard library has no parser
and the rule is a few lines; a malformed part is ignored, as servers commonly do.
"""

from __future__ import annotations

import re

#: Media type -> suffix of the document beside the page, in order of preference on a tie.
MEDIA_TYPES = {
    "text/html": ".html",
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/n-triples": ".nt",
}
#: Also accepted as a request for the page.
HTML_ALIASES = ("application/xhtml+xml",)
#: Suffix -> Content-Type header of the file served.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
_RANGE = re.compile(r"([A-Za-z0-9!#$&^_.+-]+|\*)/([A-Za-z0-9!#$&^_.+-]+|\*)")
_QVALUE = re.compile(r"(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, in header order; ``*/*`` when the header is absent."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if not _RANGE.fullmatch(media):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                q = float(value.strip()) if _QVALUE.fullmatch(value.strip()) else 0.0
        ranges.append((media.lower(), q))
    return ranges


def choose(header: str | None) -> str | None:
    """The suffix of the best document for an Accept header, or None when none is acceptable."""
    ranges = parse_accept(header)

    def quality(media: str) -> tuple[int, float]:
        """(specificity, q) of the most specific range matching ``media``."""
        kind = media.split("/")[0]
        best = (-1, 0.0)
        for pattern, q in ranges:
            names = (media, *HTML_ALIASES) if media == "text/html" else (media,)
            if pattern in names:
                rank = 2
            elif pattern == f"{kind}/*":
                rank = 1
            elif pattern == "*/*":
                rank = 0
            else:
                continue
            best = max(best, (rank, q), key=lambda item: item[0])
        return best

    scored = [(quality(media)[1], -order, suffix)
              for order, (media, suffix) in enumerate(MEDIA_TYPES.items())]
    q, _, suffix = max(scored)
    return suffix if q > 0 else None


#: Where the site may be published: an http(s) address of plain characters, so that it can stand
#: in a rewrite rule as it is (no spaces, quotes, ``$`` or ``%``, which mod_rewrite reads).
SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?")
W3ID_RULES = "w3id.htaccess"


def check_site_url(url: str) -> str:
    """The address as given, ending in ``/``, if it can be where the site is published.

    Raises:
        ReleaseError: anything else.
    """
    from kg.errors import ReleaseError

    if not SITE_URL.fullmatch(url):
        raise ReleaseError(f"--site-url must be an http(s) address of letters, digits and . _ ~ / - "
                           f"(where site/ is published), found {url!r}")
    return url if url.endswith("/") else url + "/"


def htaccess(site_url: str | None = None) -> str:
    """Apache rules (mod_rewrite) giving ``serve``'s answers.

    Args:
        site_url: where the site is published, for the rules w3id.org holds for
            ``https://w3id.org/dispute-kg/`` (they redirect there); None for the rules that sit
            in the site's own folder on an Apache server (they redirect within it).

    Returns:
        The file's text.
    """
    target = site_url.rstrip("/") + "/" if site_url else ""
    where = f"w3id.org/dispute-kg/ -> {site_url}" if site_url else "the site's own folder"
    lines = [f"# Content negotiation for dispute-kg resource IRIs ({where}).",
             "# Written by dispute-kg build (kg/publish/site/negotiation.py); the same answers as",
             "# dispute-kg serve: 303 See Other to the page, Turtle, JSON-LD or N-Triples.",
             "Options -MultiViews",
             "RewriteEngine on"]
    if not site_url:
        lines += ["AddType text/turtle;charset=utf-8 .ttl", "AddType application/ld+json .jsonld",
                  "AddType application/n-triples .nt", "AddDefaultCharset utf-8",
                  "# the useful 404 page (this path assumes the site at the server's root)",
                  "ErrorDocument 404 /404.html"]
    # A claim (id/claim/<kind>--<record>--<source>, kg.graph.builder.claim_iri; slugs have single
    # hyphens) stands on its record's page under its own id, and in its record's description.
    claim = r"^id/claim/([a-z]+--([a-z0-9-]+?)--[a-z0-9-]+)$"
    record = r"^id/claim/([a-z]+)--"
    slug = r"^id/([a-z]+)/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$"
    # non-HTML forms first: a browser's Accept lists text/html, a data client's lists its type
    for media, suffix in list(MEDIA_TYPES.items())[1:]:
        escaped = re.escape(media).replace("/", "\\/")
        condition = [f"RewriteCond %{{HTTP_ACCEPT}} {escaped}", "RewriteCond %{HTTP_ACCEPT} !text/html"]
        lines += condition + [f"RewriteCond %{{REQUEST_URI}} {record[1:]}",
                              f"RewriteRule {claim} {target}id/%1/$2{suffix} [R=303,L]"]
        lines += condition + [f"RewriteRule {slug} {target}id/$1/$2{suffix} [R=303,L]"]
    lines += [f"RewriteCond %{{REQUEST_URI}} {record[1:]}",
              f"RewriteRule {claim} {target}id/%1/$2.html#$1 [R=303,NE,L]"]
    lines += [f"RewriteRule {slug} {target}id/$1/$2.html [R=303,L]"]
    if not site_url:
        lines += ["<IfModule mod_headers.c>", "    Header always merge Vary Accept", "</IfModule>"]
    else:
        lines += ["RewriteRule ^$ " + target + " [R=302,L]",
                  "RewriteRule ^(.*)$ " + target + "$1 [R=302,L]"]
    return "\n".join(lines) + "\n"
