"""``dispute-kg serve``'s front: the site, dereferenceable IRIs, and the SPARQL endpoint behind it.

One HTTP server on 127.0.0.1 (the standard library's, a thread per request) in front of the
read-only Oxigraph server, which listens on another loopback port:

- ``/id/<kind>/<slug>`` answers ``303 See Other`` (with ``Vary: Accept``) to the page, the
  Turtle, the JSON-LD or the N-Triples beside it, whichever the ``Accept`` header prefers
  (kg/publish/site/negotiation.py); a claim's IRI leads to the record it stands on;
- ``/query`` is passed to Oxigraph as it comes (GET or POST, headers that matter, body) and its
  answer back; ``/update`` and ``/store`` answer 403: the endpoint is read-only;
- every other path is a file of the site, held in memory; anything else is a 404 page that
  says what addresses look like and suggests near names.

Why a front server rather than Oxigraph alone: Oxigraph serves SPARQL, not files, and cannot
redirect by media type. Why the standard library: a few dozen lines, no new dependency, and
the load is one person's browser.
"""

from __future__ import annotations

import difflib
import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request

from kg.errors import ServerError
from kg.publish.site.negotiation import CONTENT_TYPES, MEDIA_TYPES, choose

HOST = "127.0.0.1"
#: Request headers passed on to the SPARQL endpoint, and response headers passed back.
FORWARD = ("Accept", "Content-Type", "Content-Length", "Origin", "Access-Control-Request-Method",
           "Access-Control-Request-Headers")
BACK = ("Content-Type", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers", "Vary")
MAX_BODY = 1 << 20          # a SPARQL query larger than 1 MiB is refused (413)
READ_ONLY = ("/update", "/store")
MAX_DRAIN = 1 << 28         # a refused upload up to 256 MiB is read (and dropped) before the answer


class Site:
    """What the front serves: the site's files, how to find a resource, and the 404 page."""

    def __init__(self, files: dict[str, bytes], claims: dict[str, str], not_found):
        """
        Args:
            files: path under the site (``id/event/x.html``) -> bytes.
            claims: a claim's path (``id/claim/x``) -> its record's path (``id/event/y``).
            not_found: (requested path, [suggested resource paths]) -> the 404 page's bytes.
        """
        self.files, self.claims, self.not_found = files, claims, not_found
        self.resources = sorted(name[:-len(".html")] for name in files
                                if name.startswith("id/") and name.endswith(".html"))

    def suggestions(self, path: str) -> list[str]:
        """Resource paths whose slugs come closest to the one asked for."""
        slug = path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
        by_slug = {}
        for resource in self.resources:
            by_slug.setdefault(resource.rsplit("/", 1)[-1], resource)
        return [by_slug[s] for s in difflib.get_close_matches(slug, sorted(by_slug), n=5, cutoff=0.5)]


def _handler(site: Site, endpoint: str, timeout: float):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "dispute-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # one person's browser: no access log on the terminal
            pass

        def do_GET(self):
            self._route(body=True)

        def do_HEAD(self):
            self._route(body=False)

        def do_POST(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/query":
                self._proxy("POST")
                return
            self._drain()  # read what the client sends first, or it sees a broken pipe, not the answer
            if path in READ_ONLY or path.startswith(READ_ONLY):
                self._send(403, b"This endpoint is read-only.\n", "text/plain; charset=utf-8")
            else:
                self._send(405, b"Only GET and HEAD here; SPARQL queries go to /query.\n",
                           "text/plain; charset=utf-8", extra={"Allow": "GET, HEAD"})

        do_PUT = do_DELETE = do_PATCH = do_POST

        def do_OPTIONS(self):
            if urllib.parse.urlsplit(self.path).path == "/query":
                self._proxy("OPTIONS")
            else:
                self._send(204, b"", "text/plain", extra={"Allow": "GET, HEAD, OPTIONS"})

        def _route(self, body: bool):
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path)
            if path == "/query":
                self._proxy("GET")
                return
            if path in READ_ONLY or path.startswith(READ_ONLY):
                self._send(403, b"This endpoint is read-only.\n", "text/plain; charset=utf-8", body=body)
                return
            name = "index.html" if path == "/" else path[1:]
            if ".." in name.split("/") or "\x00" in name:
                self._not_found(path, body)
            elif name in site.files:
                suffix = "." + name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
                self._send(200, site.files[name], CONTENT_TYPES.get(suffix, "application/octet-stream"),
                           body=body)
            elif name.startswith("id/"):
                self._negotiate(name, body)
            else:
                self._not_found(path, body)

        def _negotiate(self, name: str, body: bool):
            suffix = choose(self.headers.get("Accept"))
            record, anchor = site.claims.get(name), ""
            if record is not None:  # a claim stands on its record's page, under its own id
                name, anchor = record, "#" + name.rsplit("/", 1)[-1]
            if name + ".html" not in site.files:
                self._not_found("/" + name, body)
            elif suffix is None:
                listed = ", ".join(MEDIA_TYPES).encode()
                self._send(406, b"Not acceptable; this resource is available as: " + listed + b"\n",
                           "text/plain; charset=utf-8", body=body, extra={"Vary": "Accept"})
            else:
                target = f"/{name}{suffix}" + (anchor if suffix == ".html" else "")
                self._send(303, f"See {target}\n".encode(), "text/plain; charset=utf-8", body=body,
                           extra={"Location": target, "Vary": "Accept"})

        def _not_found(self, path: str, body: bool):
            page = site.not_found(path, site.suggestions(path) if path.startswith("/id/") else [])
            self._send(404, page, CONTENT_TYPES[".html"], body=body)

        def _proxy(self, method: str):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(413, b"The query is larger than 1 MiB.\n", "text/plain; charset=utf-8")
                return
            data = self.rfile.read(length) if length else None
            query = urllib.parse.urlsplit(self.path).query
            request = urllib.request.Request(endpoint + ("?" + query if query else ""), data=data, method=method,
                                             headers={k: self.headers[k] for k in FORWARD if k in self.headers})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(request, timeout=timeout) as answer:
                    status, headers, content = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                status, headers, content = error.code, error.headers, error.read()
            except (urllib.error.URLError, OSError) as error:
                self._send(502, f"The SPARQL endpoint did not answer: {error}\n".encode(),
                           "text/plain; charset=utf-8")
                return
            self._send(status, content, headers.get("Content-Type", "application/octet-stream"),
                       extra={k: headers[k] for k in BACK if k in headers and k != "Content-Type"})

        def _drain(self):
            left = int(self.headers.get("Content-Length") or 0)
            if left > MAX_DRAIN:
                self.close_connection = True
                return
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)

        def _send(self, status: int, content: bytes, media: str, body: bool = True, extra: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if body:
                self.wfile.write(content)

    return Handler


class FrontServer:
    """The front, listening on 127.0.0.1 in a thread of its own.

    It binds its port when made, before anything is built, so a port already in use is said at
    once; it answers once started with what to serve.
    """

    def __init__(self, port: int):
        """
        Args:
            port: where to listen (0: a free port).

        Raises:
            ServerError: the port is taken or cannot be used.
        """
        try:
            self.httpd = http.server.ThreadingHTTPServer((HOST, port), http.server.BaseHTTPRequestHandler)
        except OSError as exc:
            raise ServerError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="dispute-kg-front", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self, site: Site, endpoint: str, timeout: float = 60.0) -> "FrontServer":
        """Serve ``site``, passing SPARQL to ``endpoint`` (the Oxigraph server's query URL on
        loopback) with ``timeout`` seconds for each answer."""
        self.httpd.RequestHandlerClass = _handler(site, endpoint, timeout)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()
