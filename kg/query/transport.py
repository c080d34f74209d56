"""A guarded HTTP exchange with a remote store: one deadline, safe redirects, guarded credentials.

SPARQLWrapper builds and sends each SPARQL 1.1 Protocol request (its public
``query()``); it sends through urllib's installed opener, so for the length of
one exchange the opener is ours. It

* holds one deadline for the whole exchange: the connection, the headers and
  the body. A watchdog shuts the socket when the time is up, so a server that
  sends a byte every half second cannot hold the caller past ``timeout``;
* follows a redirect only to the same scheme, host and port;
* attaches credentials (``DISPUTE_KG_USER``/``DISPUTE_KG_PASSWORD`` or netrc) to
  each request by its own origin, as a header no redirect carries, and over plain
  HTTP only to a loopback host unless the caller allows it;
* reads every answer to its end and checks it against its Content-Length, so a
  body cut short is an error, never fewer rows.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import RemoteError

DEFAULT_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 256 * 2**20
#: A request body above this size is not sent before the store's auth scheme is known.
LARGE_BODY = 64 * 2**10
USER_ENV, PASSWORD_ENV = "DISPUTE_KG_USER", "DISPUTE_KG_PASSWORD"


def check_url(url: str, option: str) -> str:
    """An http(s) URL with a host and no credentials in it, or a RemoteError naming the option."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise RemoteError(f"{option}: not a valid URL: {url!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{option} must be an http:// or https:// URL with a host, found {url!r}")
    if parts.username is not None or parts.password is not None:
        raise RemoteError(f"{option}: put credentials in ${USER_ENV}/${PASSWORD_ENV} or a netrc "
                          "file, not in the URL")
    return url



def credentials_for(host: str) -> tuple[str, str] | None:
    """Basic-auth credentials for ``host``: the environment first, then netrc.

    ``DISPUTE_KG_USER`` and ``DISPUTE_KG_PASSWORD`` apply to the endpoints the
    user names; otherwise the netrc file (``$NETRC`` or ``~/.netrc``) entry
    for the host, if any.
    """
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user is not None or password is not None:
        if not user or password is None:
            raise RemoteError(f"set both ${USER_ENV} and ${PASSWORD_ENV}, or neither")
        return user, password
    import netrc

    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"{path}: cannot read the netrc file: {exc}") from None
    if entry is None or not entry[0]:
        return None
    return entry[0], entry[2] or ""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


# ---------------------------------------------------------------------------
# Transport
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: body, media type (without parameters) and final URL."""

    body: bytes
    media_type: str
    url: str


class Deadline:
    """One time limit for a whole exchange: a watchdog shuts every socket opened under it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Seconds left (never zero: a zero socket timeout would mean non-blocking)."""
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock) -> None:
        """Shut ``sock`` when the time is up (at once if it already is)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _shut(sock) -> None:
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _deadline_handlers(deadline: Deadline) -> list:
    """urllib handlers whose connections take the deadline's remaining time and are watched."""
    import http.client
    import ssl
    import urllib.request

    class Connection(http.client.HTTPConnection):
        def connect(self):
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self):
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    context = ssl.create_default_context()

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(SecureConnection, req, context=context)

    return [Handler(), SecureHandler(context=context)]


class Transport:
    """Sends HTTP requests to a store with one deadline, safe redirects and guarded credentials."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, insecure_auth: bool = False,
                 max_bytes: int = MAX_RESPONSE_BYTES):
        """
        Args:
            timeout: seconds the whole exchange may take: connection, headers and body.
            insecure_auth: allow credentials over plain HTTP to a host other than this machine.
            max_bytes: the largest answer to accept (a bound on memory).
        """
        if not timeout > 0 or timeout == float("inf"):
            raise RemoteError(f"the timeout must be a positive number of seconds, found {timeout}")
        self.timeout, self.insecure_auth, self.max_bytes = timeout, insecure_auth, max_bytes

    def credentials(self, url: str) -> tuple[str, str] | None:
        """The credentials to send to ``url``'s host, if any, once it is safe to send them there."""
        scheme, host, _ = _origin(url)
        found = credentials_for(host)
        if found is not None and scheme != "https" and not is_loopback(host) and not self.insecure_auth:
            raise RemoteError(f"refusing to send credentials over plain HTTP to {host}: use an "
                              "https:// endpoint, or pass --insecure-auth if you accept the risk")
        return found

    def authorize(self, request) -> None:
        """Attach Basic-auth credentials, if any, as a header that no redirect carries on
        (unless the request already answers a Digest challenge)."""
        found = self.credentials(request.full_url)
        if found is None or request.has_header("Authorization"):
            return
        token = base64.b64encode(f"{found[0]}:{found[1]}".encode("utf-8")).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")

    def opener(self, url: str, what: str, deadline: Deadline):
        """A urllib opener for one exchange with ``url``'s store, under ``deadline``.

        An HTTP error status becomes a RemoteError inside the opener, so a client
        that sends through it (SPARQLWrapper, which turns some statuses into
        exceptions without their bodies) cannot hide the store's message.
        """
        import urllib.error
        import urllib.request

        transport = self

        class StatusErrors(urllib.request.BaseHandler):
            handler_order = 400  # before urllib's default, which raises HTTPError

            def http_error_default(self, request, fp, code, msg, headers):
                raise _http_error(urllib.error.HTTPError(request.full_url, code, msg, headers, fp),
                                  url, what)

        class Credentials(urllib.request.BaseHandler):
            """Credentials by each request's own origin (a followed redirect is the same origin)."""

            handler_order = 900

            def http_request(self, request):
                transport.authorize(request)
                return request

            https_request = http_request

        proxies = {} if is_loopback(_origin(url)[1]) else None
        handlers = [urllib.request.ProxyHandler(proxies), _redirect_handler(), Credentials(),
                    StatusErrors(), *_deadline_handlers(deadline)]
        found = self.credentials(url)
        if found is not None:
            handlers.append(_digest_handler(url, found))
        return urllib.request.build_opener(*handlers)

    def send(self, request, what: str) -> Answer:
        """Send a ``urllib.request.Request`` and read the whole answer (see :meth:`exchange`)."""
        if len(request.data or b"") > LARGE_BODY:
            answer = self.ask_first(request.full_url, request.get_method(), what)
            if answer:
                request.add_unredirected_header("Authorization", answer)
        return self.exchange(request.full_url, what, lambda opener: opener.open(request))

    def ask_first(self, url: str, method: str, what: str) -> str | None:
        """Learn whether the store wants credentials, and which kind, before sending a large body.

        Virtuoso refuses a request on its ``-auth`` endpoints (no credentials, or
        Basic ones) by closing the connection while a large body is still being
        sent, before the client can read why. So ask first (``OPTIONS``, without
        credentials): a 401 without credentials to give is reported as such, and
        a Digest challenge is answered in the request that carries the body.

        Returns:
            The ``Authorization`` header answering the store's Digest challenge, if it sent one.

        Raises:
            RemoteError: the store wants credentials and none are configured.
        """
        import http.client
        import urllib.error
        import urllib.request

        url = check_url(url, f"the {what} URL")
        credentials = self.credentials(url)
        proxies = {} if is_loopback(_origin(url)[1]) else None
        with Deadline(self.timeout) as deadline:
            opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies),
                                                 _redirect_handler(), *_deadline_handlers(deadline))
            try:
                opener.open(urllib.request.Request(url, method="OPTIONS")).close()
                return None
            except urllib.error.HTTPError as exc:
                challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
                exc.close()
            except (RemoteError, urllib.error.URLError, http.client.HTTPException, OSError):
                return None  # the request itself will meet the same fault and report it
        if challenge and credentials is None:
            raise RemoteError(f"{what}: {url} answered HTTP 401 Unauthorized (credentials come "
                              f"from ${USER_ENV}/${PASSWORD_ENV} or the netrc file)", status=401)
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() != "digest" or credentials is None:
            return None
        fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
        answer = _digest_handler(url, credentials).get_authorization(
            urllib.request.Request(url, method=method), fields)
        return f"Digest {answer}" if answer else None

    def exchange(self, url: str, what: str, call) -> Answer:
        """Run one exchange: ``call(opener)`` sends the request and returns the HTTP response.

        Args:
            url: where the request goes (checked, and named in messages).
            what: what the request does, for messages ("query", "push", ...).
            call: sends the request through the given opener; urllib's installed
                opener is the same one while it runs (SPARQLWrapper sends through it).

        Returns:
            The answer of a 2xx response, read to its end.

        Raises:
            RemoteError: no complete answer in time, an HTTP error status, a redirect to
                another origin, an answer cut off or too large. ``status`` holds the
                HTTP status where there was one.
        """
        import http.client
        import urllib.error

        url = check_url(url, f"the {what} URL")
        with Deadline(self.timeout) as deadline:
            try:
                with _installed(self.opener(url, what, deadline)) as opener:
                    with call(opener) as response:
                        body = self._read(response, url, what, deadline)
                        media_type = response.headers.get_content_type()
                        final = response.geturl()
            except urllib.error.HTTPError as exc:
                raise _http_error(exc, url, what) from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                raise self._failure(exc, deadline, url, what) from None
            except ValueError as exc:  # urllib's digest handler on a challenge it cannot answer
                raise RemoteError(f"{what}: {url} asked for credentials in a way dispute-kg cannot "
                                  f"answer: {exc}", status=401) from None
        return Answer(body, media_type, final)

    def _failure(self, exc, deadline: Deadline, url: str, what: str) -> RemoteError:
        import http.client
        import urllib.error

        if deadline.expired:
            return RemoteError(f"{what}: no complete answer from {url}: timed out after "
                               f"{self.timeout:g} s for the whole exchange (raise --timeout)")
        if isinstance(exc, http.client.IncompleteRead):
            return RemoteError(f"{what}: the answer from {url} was cut off after "
                               f"{len(exc.partial)} bytes")
        if isinstance(exc, urllib.error.URLError):
            return RemoteError(f"{what}: no answer from {url}: {_reason(exc.reason, self.timeout)}")
        return RemoteError(f"{what}: no complete answer from {url}: {_reason(exc, self.timeout)}")

    def _read(self, response, url: str, what: str, deadline: Deadline) -> bytes:
        """The whole body, no larger than the bound and exactly as long as its Content-Length."""
        declared = response.headers.get_all("Content-Length") or []
        if len(set(declared)) > 1 or any(not re.fullmatch(r"[0-9]{1,15}", v.strip()) for v in declared):
            raise RemoteError(f"{what}: the answer from {url} has a malformed Content-Length "
                              f"{declared!r}")
        chunks, size = [], 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > self.max_bytes:
                raise RemoteError(f"{what}: the answer from {url} is larger than "
                                  f"{self.max_bytes} bytes; narrow the query")
            chunks.append(chunk)
        if deadline.expired:  # the watchdog shut the socket: the body ended early because of it
            raise self._failure(None, deadline, url, what)
        chunked = "chunked" in (response.headers.get("Transfer-Encoding") or "").lower()
        if declared and not chunked and size != int(declared[0]):
            raise RemoteError(f"{what}: the answer from {url} was cut off after {size} of the "
                              f"{int(declared[0])} bytes it announced")
        return b"".join(chunks)


@contextmanager
def _installed(opener):
    """Make ``opener`` urllib's installed opener for a while (SPARQLWrapper sends through it),
    then put back the one before, if any (urllib keeps it in ``_opener``)."""
    import urllib.request

    previous = getattr(urllib.request, "_opener", None)
    urllib.request.install_opener(opener)
    try:
        yield opener
    finally:
        urllib.request.install_opener(previous)


def _reason(reason, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timed out after {timeout:g} s (raise --timeout)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the store running, and is the port right?)"
    return str(getattr(reason, "strerror", None) or reason) or type(reason).__name__


def _http_error(exc, url: str, what: str) -> RemoteError:
    try:
        detail = exc.read(2000).decode("utf-8", "replace").strip()
    except OSError:
        detail = ""
    message = f"{what}: {url} answered HTTP {exc.code} {exc.reason}"
    if detail:
        message += f": {' '.join(detail.split())[:500]}"
    if exc.code in (401, 403):
        message += (f" (credentials come from ${USER_ENV}/${PASSWORD_ENV} or the netrc file; "
                    "the store may also be read-only)")
    if exc.code in (301, 302, 303, 307, 308):
        message += f" (redirected to {exc.headers.get('Location')}; use that URL directly)"
    return RemoteError(message, status=exc.code)


def _digest_handler(url: str, credentials: tuple[str, str]):
    """Answers an HTTP Digest challenge (Virtuoso's ``-auth`` endpoints take no Basic auth) with the
    same credentials, for the request's own origin only."""
    import urllib.request

    parts = urlsplit(url)
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", *credentials)
    return urllib.request.HTTPDigestAuthHandler(manager)


def _redirect_handler():
    """A handler that follows redirects within one origin only (built on demand: urllib.request
    is slow to import and the fast local query path never needs it)."""
    import urllib.request

    class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if _origin(newurl) != _origin(req.full_url):
                fp.close()
                raise RemoteError(f"{req.full_url} redirected (HTTP {code}) to another host or "
                                  f"scheme, {newurl}; not following it (use that URL directly "
                                  "if you trust it)")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return SameOriginRedirects()
