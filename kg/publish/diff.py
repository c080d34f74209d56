"""What changed between two releases: records added, removed and changed, by kind, with their fields.

A side of the comparison is a release folder (its ``SHA256SUMS`` checked and
its asserted graph read) or a git revision of the facts (the facts files at
that commit, loaded and built as a release would). Either way it becomes
*records*: every resource in our namespace with its fields (predicate ->
values); a claim is folded into the record it is about, as fields named by
its source, so "source S now quotes ..." reads as a change to the event, not
as a new triple. Reading a release needs neither rdflib nor the reasoner.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.digests import file_digests
from kg.errors import ReleaseError
from kg.files import read_checksums
from kg.graph import iris

CHECKSUMS, ASSERTED_NT = "SHA256SUMS", "dispute-kg.nt"
REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/@{}~^-]*")
MAX_CHECKSUMS_BYTES = 1 << 20
CLAIM = iris.ID + iris.KIND_SEGMENTS["claims"] + "/"
DKG, RDF_TYPE = iris.DKG, iris.PREFIXES["rdf"] + "type"
LABEL, TITLE = iris.PREFIXES["rdfs"] + "label", iris.PREFIXES["dcterms"] + "title"
VERSION_INFO = iris.PREFIXES["owl"] + "versionInfo"
KINDS = {segment: kind for kind, segment in iris.KIND_SEGMENTS.items()}
FORMATS = ("text", "markdown", "json")

Fields = dict[str, frozenset[str]]


@dataclass
class Side:
    """One side of a comparison: what it is, its ontology version, and its records."""

    name: str
    version: str | None
    records: dict[str, Fields]
    labels: dict[str, str]


@dataclass(frozen=True)
class FieldChange:
    field: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    fields: tuple[FieldChange, ...] = ()


@dataclass
class KindChanges:
    kind: str
    added: list[Entry]
    removed: list[Entry]
    changed: list[Entry]


@dataclass
class Diff:
    old: Side
    new: Side
    kinds: list[KindChanges]

    @property
    def empty(self) -> bool:
        return not self.kinds


# ---------------------------------------------------------------------------
# Terms and records
# ---------------------------------------------------------------------------

#: ``event:slug``, ``dkg:term`` ... for an IRI in a known namespace, else the IRI.
short = iris.compact


def shown(term) -> str:
    """A term as a reader sees it: a short IRI, or a literal's text (with its language unless English)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return short(term.value)
    if isinstance(term, ox.Literal):
        return term.value + (f" @{term.language}" if term.language and term.language != "en" else "")
    return str(term)


def records_from_ntriples(data: bytes, name: str) -> tuple[dict[str, Fields], dict[str, str], str | None]:
    """Records (by IRI) and their English labels from N-Triples, and the ontology's versionInfo."""
    import pyoxigraph as ox

    fields: dict[str, dict[str, set[str]]] = {}
    claims: dict[str, dict[str, list]] = {}
    labels: dict[str, str] = {}
    version = None
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise ReleaseError(f"{name}: not readable N-Triples: {exc}") from None
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode):
            continue
        iri = subject.value
        if iri == iris.ONTOLOGY_IRI and predicate == VERSION_INFO:
            version = obj.value
        if not iri.startswith(iris.ID):
            continue
        if iri.startswith(CLAIM):
            claims.setdefault(iri, {}).setdefault(predicate, []).append(obj)
            continue
        fields.setdefault(iri, {}).setdefault(short(predicate), set()).add(shown(obj))
        if isinstance(obj, ox.Literal) and predicate == LABEL and obj.language == "en":
            labels[iri] = obj.value
        elif isinstance(obj, ox.Literal) and predicate == TITLE:
            labels.setdefault(iri, obj.value)
    for claim in claims.values():
        about, source = claim.get(DKG + "claimAbout", [None])[0], claim.get(DKG + "citedIn", [None])[0]
        if about is None or source is None:
            continue
        record = fields.setdefault(about.value, {})
        for predicate, values in claim.items():
            if predicate in (DKG + "claimAbout", DKG + "citedIn", RDF_TYPE):
                continue
            record.setdefault(f"claim {short(source.value)} {short(predicate)}", set()).update(
                shown(v) for v in values)
    return {iri: {f: frozenset(v) for f, v in record.items()} for iri, record in fields.items()}, labels, version


# ---------------------------------------------------------------------------
# Reading a side
# ---------------------------------------------------------------------------

def check_release(folder: Path) -> bytes:
    """A release folder whose SHA256SUMS lists its asserted graph and matches every listed file.

    Returns:
        The asserted graph's N-Triples, as checked.

    Raises:
        ReleaseError: not a folder, no or a malformed SHA256SUMS, a listed file missing or changed.
    """
    sums = folder / CHECKSUMS
    if not folder.is_dir():
        raise ReleaseError(f"{folder}: not a release folder")
    if not sums.is_file() or sums.is_symlink():
        raise ReleaseError(f"{folder}: not a release: it has no {CHECKSUMS} file")
    if sums.stat().st_size > MAX_CHECKSUMS_BYTES:
        raise ReleaseError(f"{sums}: too large for a checksum list")
    try:
        listed = read_checksums(sums.read_bytes())
    except ValueError as exc:
        number, line = exc.args
        raise ReleaseError(f"{sums}:{number}: not a sha256sum line ('<64 hex digits>  <file name>'): "
                           f"{line[:80]!r}") from None
    if ASSERTED_NT not in listed:
        raise ReleaseError(f"{sums}: does not list {ASSERTED_NT}; {folder} is not a dispute-kg release")
    base = os.fspath(folder)  # thousands of names: os.path, not pathlib, joins them
    paths = {name: os.path.join(base, name) for name in listed}
    infos = {}
    for name in sorted(listed):
        try:
            infos[name] = os.lstat(paths[name])
        except OSError:
            pass
        if name not in infos or not stat.S_ISREG(infos[name].st_mode):
            raise ReleaseError(f"{sums}: lists {name}, which is missing from {folder}")
    # the graph compared is hashed as read; the other files' digests may be remembered ones
    asserted = (folder / ASSERTED_NT).read_bytes()
    others = {name: path for name, path in paths.items() if name != ASSERTED_NT}
    found = {**file_digests(folder, others, _read, infos), ASSERTED_NT: hashlib.sha256(asserted).hexdigest()}
    for name, expected in sorted(listed.items()):
        if found[name] != expected:
            raise ReleaseError(f"{sums}: {name} does not match its checksum (changed or damaged since the "
                               "release was written)")
    return asserted


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read_release(folder: Path) -> Side:
    """A release folder, checked against its SHA256SUMS, as records."""
    folder = Path(folder)
    records, labels, version = records_from_ntriples(check_release(folder), str(folder / ASSERTED_NT))
    return Side(str(folder), version, records, labels)


def _git(args: list[str], cwd: Path, what: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise ReleaseError(f"{what}: not a release folder, and git (for a revision) is not installed")
    done = subprocess.run([git, *args], cwd=cwd, capture_output=True, timeout=60)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReleaseError(f"{what}: not a release folder nor a git revision of the facts"
                           + (f" ({message[-1]})" if message else ""))
    return done.stdout


def read_revision(revision: str, cwd: Path | None = None) -> Side:
    """The facts at a git revision of the repository around ``cwd``, built into records.

    Raises:
        ReleaseError: not a revision, no facts there, or git missing.
        FactsError: the facts at that revision do not load.
    """
    if not REVISION.fullmatch(revision) or ".." in revision:
        raise ReleaseError(f"{revision!r}: not a release folder nor a git revision")
    cwd = Path(cwd or Path.cwd())
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, revision).decode("utf-8").strip())
    commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top, revision).decode().strip()
    names = _git(["ls-tree", "-z", "--name-only", commit, "facts/", "ontology/"], top, revision).split(b"\0")
    facts = sorted(n.decode("utf-8") for n in names if re.fullmatch(rb"facts/[^/]+\.yaml", n))
    if not facts:
        raise ReleaseError(f"{revision}: commit {commit[:12]} has no facts/*.yaml")
    version = None
    for name in (n.decode("utf-8") for n in names if re.fullmatch(rb"ontology/[^/]+\.ttl", n)):
        version = _ontology_version(_git(["cat-file", "blob", f"{commit}:{name}"], top, revision)) or version
    from kg.facts.loader import load_facts
    from kg.graph.builder import fact_lines
    from kg.graph.ntriples import document

    with tempfile.TemporaryDirectory(prefix="dispute-kg-diff-") as tmp:
        for name in facts:
            (Path(tmp) / Path(name).name).write_bytes(_git(["cat-file", "blob", f"{commit}:{name}"], top, revision))
        data = document(fact_lines(load_facts(Path(tmp))))
    records, labels, _ = records_from_ntriples(data, revision)
    return Side(f"{revision} ({commit[:12]})", version, records, labels)


def _ontology_version(turtle: bytes) -> str | None:
    import pyoxigraph as ox

    try:
        for triple in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
            if triple.subject == ox.NamedNode(iris.ONTOLOGY_IRI) and triple.predicate.value == VERSION_INFO:
                return triple.object.value
    except SyntaxError:
        return None
    return None


def read_side(where: str, cwd: Path | None = None) -> Side:
    """A release folder if ``where`` names something that exists, else a git revision."""
    path = Path(cwd or Path.cwd()) / where
    if path.exists():
        return read_release(path)
    return read_revision(where, cwd)


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------

def compare(old: Side, new: Side, across_versions: bool = False) -> Diff:
    """Records added, removed and changed from ``old`` to ``new``, grouped by kind.

    Raises:
        ReleaseError: the two sides are of different ontology versions (unless ``across_versions``).
    """
    if old.version != new.version and not across_versions:
        raise ReleaseError(f"{old.name} is of ontology version {old.version}, {new.name} of "
                           f"{new.version}: their records use different terms (pass --across-versions "
                           "to compare them anyway)")
    by_kind: dict[str, KindChanges] = {}

    def kind_of(iri: str) -> KindChanges:
        segment = iri[len(iris.ID):].split("/", 1)[0]
        kind = KINDS.get(segment, segment)
        return by_kind.setdefault(kind, KindChanges(kind, [], [], []))

    def label(side: Side, iri: str) -> str:
        return side.labels.get(iri, "")

    for iri in sorted(new.records.keys() - old.records.keys()):
        kind_of(iri).added.append(Entry(iri, label(new, iri)))
    for iri in sorted(old.records.keys() - new.records.keys()):
        kind_of(iri).removed.append(Entry(iri, label(old, iri)))
    for iri in sorted(old.records.keys() & new.records.keys()):
        before, after = old.records[iri], new.records[iri]
        changes = tuple(FieldChange(f, tuple(sorted(before.get(f, frozenset()) - after.get(f, frozenset()))),
                                    tuple(sorted(after.get(f, frozenset()) - before.get(f, frozenset()))))
                        for f in sorted(before.keys() | after.keys()) if before.get(f) != after.get(f))
        if changes:
            kind_of(iri).changed.append(Entry(iri, label(new, iri) or label(old, iri), changes))
    order = list(iris.KIND_SEGMENTS)
    kinds = sorted(by_kind.values(), key=lambda k: (order.index(k.kind) if k.kind in order else len(order), k.kind))
    return Diff(old, new, kinds)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def _counts(kind: KindChanges) -> str:
    return f"{len(kind.added)} added, {len(kind.removed)} removed, {len(kind.changed)} changed"


def _title(entry: Entry) -> str:
    return short(entry.iri) + (f"  {json.dumps(entry.label, ensure_ascii=False)}" if entry.label else "")


def _change_lines(change: FieldChange) -> list[str]:
    if len(change.removed) == 1 and len(change.added) == 1:
        return [f"{change.field}: {json.dumps(change.removed[0], ensure_ascii=False)} -> "
                f"{json.dumps(change.added[0], ensure_ascii=False)}"]
    return ([f"{change.field}: - {json.dumps(v, ensure_ascii=False)}" for v in change.removed]
            + [f"{change.field}: + {json.dumps(v, ensure_ascii=False)}" for v in change.added])


def to_text(diff: Diff) -> str:
    """Plain text for a terminal: a line per record, an indented line per changed field."""
    lines = [f"from {diff.old.name} (version {diff.old.version}) to {diff.new.name} "
             f"(version {diff.new.version})"]
    if diff.empty:
        return "\n".join(lines + ["no changes"]) + "\n"
    for kind in diff.kinds:
        lines.append(f"{kind.kind}: {_counts(kind)}")
        lines += [f"  + {_title(e)}" for e in kind.added]
        lines += [f"  - {_title(e)}" for e in kind.removed]
        for entry in kind.changed:
            lines.append(f"  ~ {_title(entry)}")
            lines += [f"      {line}" for change in entry.fields for line in _change_lines(change)]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown list item (no markup, no line breaks)."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def to_markdown(diff: Diff) -> str:
    """Markdown for CHANGES.md: a section per kind, a list item per record."""
    lines = [f"# Changes from {_md(diff.old.name)} to {_md(diff.new.name)}", "",
             f"Ontology version {_md(str(diff.old.version))} to {_md(str(diff.new.version))}."]
    if diff.empty:
        return "\n".join(lines + ["", "No changes."]) + "\n"
    for kind in diff.kinds:
        lines += ["", f"## {kind.kind.capitalize()}: {_counts(kind)}", ""]
        for verb, entries in (("added", kind.added), ("removed", kind.removed)):
            lines += [f"- {verb} `{short(e.iri)}` {_md(e.label)}".rstrip() for e in entries]
        for entry in kind.changed:
            lines.append(f"- changed `{short(entry.iri)}` {_md(entry.label)}".rstrip())
            lines += [f"  - {_md(line)}" for change in entry.fields for line in _change_lines(change)]
    return "\n".join(lines) + "\n"


def to_json(diff: Diff) -> str:
    """JSON: both sides, then per kind the added, removed and changed records with their fields."""
    def entry(e: Entry) -> dict:
        out = {"iri": e.iri, "label": e.label}
        if e.fields:
            out["fields"] = [{"field": c.field, "removed": list(c.removed), "added": list(c.added)}
                             for c in e.fields]
        return out

    document = {"old": {"name": diff.old.name, "version": diff.old.version},
                "new": {"name": diff.new.name, "version": diff.new.version},
                "kinds": [{"kind": k.kind, "added": [entry(e) for e in k.added],
                           "removed": [entry(e) for e in k.removed],
                           "changed": [entry(e) for e in k.changed]} for k in diff.kinds]}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def render(diff: Diff, fmt: str) -> str:
    """The diff as ``text``, ``markdown`` or ``json``."""
    return {"text": to_text, "markdown": to_markdown, "json": to_json}[fmt](diff)
