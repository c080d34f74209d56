"""Run Apache Jena and the OWL API 5 (Protégé's parser stack) from Debian's packages.

Debian installs their jars in /usr/share/java without a launcher or a usable
``Class-Path``, and ``-cp "/usr/share/java/*"`` pulls in clashing logging
bindings, so the jars each tool needs are listed here. Used by
tests/test_release_in_other_tools.py, and by hand::

    .venv/bin/python -m tests.javatools jena riotcmd.riot --validate --strict dist/dispute-kg.ttl
    .venv/bin/python -m tests.javatools jena shacl.shacl validate --shapes dist/dispute-kg-shapes.ttl \\
        --data dist/dispute-kg-inferred.ttl
    .venv/bin/python -m tests.javatools protege dist/dispute-kg.ttl dist/dispute-kg-shapes.ttl

Set ``JENA_CLASSPATH`` or ``OWLAPI_CLASSPATH`` to use other installations.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEBIAN_JARS = Path("/usr/share/java")
JAVA_SOURCES = Path(__file__).parent / "java"
JENA = ("JENA_CLASSPATH", "libapache-jena-java", (
    "jena-cmds", "jena-arq", "jena-core", "jena-base", "jena-iri", "jena-shacl", "commons-cli", "commons-io",
    "commons-lang3", "commons-codec", "commons-compress", "commons-csv", "commons-logging", "dexx.collection",
    "gson", "guava", "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
    "titanium-json-ld", "jakarta.json-api", "httpclient", "httpcore", "httpclient-cache", "slf4j-api",
    "slf4j-simple", "thrift", "protobuf"))
OWLAPI = ("OWLAPI_CLASSPATH", "libowlapi-java", (
    "owlapi-distribution", "guava", "caffeine", "commons-codec", "commons-io", "commons-logging", "hppcrt",
    "jsr305", "atinject-jsr330-api", "jackson-core", "jackson-databind", "jackson-annotations", "slf4j-api",
    "slf4j-simple", "xz", "commons-rdf-api", "httpclient", "httpcore", "httpclient-cache", "jsonld-java",
    "rdf4j-util", "rdf4j-model", "rdf4j-model-api", "rdf4j-model-vocabulary", "rdf4j-query", "rdf4j-rio-api",
    "rdf4j-rio-datatypes", "rdf4j-rio-languages", "rdf4j-rio-jsonld", "rdf4j-rio-ntriples",
    "rdf4j-rio-nquads", "rdf4j-rio-n3", "rdf4j-rio-trig", "rdf4j-rio-trix", "rdf4j-rio-turtle",
    "rdf4j-rio-rdfjson", "rdf4j-rio-rdfxml", "rdf4j-rio-binary"))


class MissingTool(RuntimeError):
    """A program or package the check needs is not installed; the message says how to install it."""


def classpath(tool: tuple[str, str, tuple[str, ...]], scratch: Path) -> str:
    """``$VARIABLE``, or the Debian package's jars (plus Jena's message-file fix, see below)."""
    variable, package, jars = tool
    if os.environ.get(variable):
        return os.environ[variable]
    missing = [name for name in jars if not (DEBIAN_JARS / f"{name}.jar").is_file()]
    if missing:
        raise MissingTool(f"{package} is not installed (no {', '.join(missing)} in {DEBIAN_JARS}; "
                          f"apt-get install -y {package})")
    paths = [str(DEBIAN_JARS / f"{name}.jar") for name in jars]
    if tool is JENA:
        paths.append(str(debian_xerces_messages(DEBIAN_JARS / "jena-core.jar", scratch)))
    return os.pathsep.join(paths)


def debian_xerces_messages(jena_core: Path, into: Path) -> Path:
    """Debian's jena-core moves its bundled Xerces classes to package ``xerces`` but leaves their
    message files under ``org/apache/jena/ext/xerces``, so Jena dies at start-up ("Couldn't load
    messages", reported as ``RuntimeException: internal error``). Copy them where the classes look."""
    with zipfile.ZipFile(jena_core) as jar:
        names = jar.namelist()
        if "xerces/impl/dv/xs/XSSimpleTypeDecl.class" not in names:
            return into  # not relocated: nothing to do
        for name in names:
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = into / name.removeprefix("org/apache/jena/ext/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return into


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise MissingTool("java is not installed (install Java 17: apt-get install -y default-jre-headless)")
    return found


def run(tool, args, scratch: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a main class (or a .java file, with the source launcher) on the tool's classpath."""
    return subprocess.run([java(), "-cp", classpath(tool, scratch), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def main(argv: list[str]) -> int:
    """``jena MAIN-CLASS ARGS...`` or ``protege FILES...`` (tests/java/ProtegeLoad.java)."""
    if not argv or argv[0] not in ("jena", "protege"):
        print(__doc__, file=sys.stderr)
        return 2
    tool, args = (JENA, argv[1:]) if argv[0] == "jena" else (OWLAPI, [JAVA_SOURCES / "ProtegeLoad.java", *argv[1:]])
    with tempfile.TemporaryDirectory() as scratch:
        try:
            done = run(tool, args, Path(scratch))
        except MissingTool as exc:
            print(exc, file=sys.stderr)
            return 2
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
