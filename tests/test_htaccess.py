"""The Apache rules shipped with the site answer as ``serve`` does, run by a real Apache httpd on
127.0.0.1: the site's own ``.htaccess``, and the w3id.org rules written with ``--site-url``."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import require_program

pytestmark = pytest.mark.slow  # starts Apache httpd; `make test-fast` leaves it out

SEKO = "id/agent/hiroshige-seko"
CLAIM = "id/claim/event--second-photoresist-approval--yonhap-2019-08-20-second-shipment"
MODULES = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "alias")


def free_port() -> int:
    from kg.query.serve import free_port as port

    return port()


@pytest.fixture(scope="module")
def apache(release_dir):
    """Apache httpd serving a copy of the site at / and the w3id.org rules at /dispute-kg/ (as
    w3id.org would hold them) that lead to it; its port."""
    program = require_program("apache2", "Debian: apt-get install -y apache2")
    from kg.publish.site.negotiation import htaccess

    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="dispute-kg-apache-"))   # readable by the server's user
    try:
        shutil.copytree(release_dir / "site", root / "site")
        (root / "w3id").mkdir()
        (root / "w3id" / ".htaccess").write_text(htaccess(f"http://127.0.0.1:{port}/"), encoding="utf-8")
        modules = Path("/usr/lib/apache2/modules")
        user = "www-data" if os.geteuid() == 0 else None
        config = [f"ServerRoot {root}", f"Listen 127.0.0.1:{port}", "ServerName 127.0.0.1",
                  f"PidFile {root}/httpd.pid", f"ErrorLog {root}/error.log", "LogLevel warn",
                  "TypesConfig /etc/mime.types", f"DocumentRoot {root}/site",
                  f"Alias /dispute-kg/ {root}/w3id/",
                  f'<Directory "{root}">', "    AllowOverride All", "    Require all granted", "</Directory>"]
        config = [f"LoadModule {name}_module {modules}/mod_{name}.so" for name in MODULES] + config
        if user:
            config += [f"User {user}", f"Group {user}"]
        os.chmod(root, 0o755)
        for folder, dirs, files in os.walk(root):
            for name in dirs:
                os.chmod(Path(folder) / name, 0o755)
            for name in files:
                os.chmod(Path(folder) / name, 0o644)
        (root / "httpd.conf").write_text("\n".join(config) + "\n", encoding="utf-8")
        assert (release_dir / "site" / ".htaccess").is_file()
        process = subprocess.Popen([program, "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("HEAD", "/")
                    break
                except OSError:
                    assert process.poll() is None, process.stdout.read().decode()
                    assert time.monotonic() < deadline, "Apache did not start"
                    time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def get(port: int, path: str, accept: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept": accept} if accept else {})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body


@pytest.mark.parametrize("accept, suffix", [
    ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ".html"), (None, ".html"),
])
def test_the_sites_rules_negotiate_like_serve(apache, release_dir, accept, suffix):
    status, headers, _ = get(apache, "/" + SEKO, accept)
    assert status == 303 and headers["location"].endswith("/" + SEKO + suffix)
    assert "accept" in headers.get("vary", "").lower()
    status, headers, body = get(apache, "/" + SEKO + suffix)
    assert status == 200 and body == (release_dir / "site" / (SEKO + suffix)).read_bytes()
    media = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
             ".html": "text/html"}[suffix]
    assert headers["content-type"].split(";")[0] == media


def test_a_claim_leads_to_its_record_and_an_unknown_iri_to_the_404_page(apache):
    status, headers, _ = get(apache, "/" + CLAIM, "text/html")
    assert status == 303
    assert headers["location"].endswith("/id/event/second-photoresist-approval.html#" + CLAIM.rsplit("/", 1)[1])
    status, headers, _ = get(apache, "/" + CLAIM, "text/turtle")
    assert headers["location"].endswith("/id/event/second-photoresist-approval.ttl")
    status, headers, _ = get(apache, "/id/event/no-such-event", "text/html")
    assert status == 303
    status, _, body = get(apache, headers["location"].split(str(apache), 1)[1])
    assert status == 404 and b"Not found" in body


@pytest.mark.parametrize("accept, suffix", [("text/turtle", ".ttl"), ("text/html", ".html")])
def test_the_w3id_rules_lead_to_the_published_site(apache, accept, suffix):
    status, headers, _ = get(apache, "/dispute-kg/" + SEKO, accept)
    assert status == 303 and headers["location"] == f"http://127.0.0.1:{apache}/{SEKO}{suffix}"
    status, headers, _ = get(apache, "/dispute-kg/index.html")
    assert status == 302 and headers["location"] == f"http://127.0.0.1:{apache}/index.html"


def test_build_writes_the_w3id_rules_only_for_a_site_url(cli, facts_copy, tmp_path):
    from kg.publish.site.negotiation import W3ID_RULES

    code, _, err = cli("build", "--out", tmp_path / "a", "--facts", facts_copy,
                       "--site-url", "https://example.org/dispute-kg/site/")
    assert code == 0, err
    rules = (tmp_path / "a" / W3ID_RULES).read_text(encoding="utf-8")
    assert "https://example.org/dispute-kg/site/id/$1/$2.ttl [R=303,L]" in rules
    code, _, err = cli("build", "--out", tmp_path / "b", "--site-url", "https://example.org/a b$1")
    assert code == 2 and "--site-url" in err and not (tmp_path / "b").exists()
