"""Release diffs: records, not triples, between release folders or git revisions of the facts;
CHANGES.md from build --previous; bad input is one line and exit 2."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess

import pytest

from kg.publish.diff import CHECKSUMS
from tests.conftest import require_program

FIRST = "event:first-photoresist-approval"
SOURCE = "reuters-2019-08-20-second-photoresist-approval"
NEW_SOURCE = "example-2019-08-21-new-report"


def change(facts):
    """A changed label, a changed date, a removed statement and an added source."""
    events = facts / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace("label: Japan's first approval of photoresist exports to Samsung Electronics under the "
                        "new controls", "label: Japan's first approval of EUV photoresist exports")
    text = text.replace("      earliest: 2019-08-01\n", "      earliest: 2019-08-07\n", 1)
    events.write_text(text, encoding="utf-8")
    statements = facts / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    start = text.index("  - id: samsung-declines-comment-second-approval")
    end = text.index("  - id: trade-ministry-declines-comment-second-approval")
    statements.write_text(text[:start] + text[end:], encoding="utf-8")
    sources = facts / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + f"""  - id: {NEW_SOURCE}
    type: NewsReport
    title: "A *new* report | with [markup]"
    publisher: reuters
    published: 2019-08-21
    language: en
""", encoding="utf-8")


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Release A of the seed facts, then B of the changed facts built with --previous A."""
    from kg.cli import main
    from tests.conftest import DATA

    root = tmp_path_factory.mktemp("diff")
    facts = root / "facts"
    shutil.copytree(DATA / "seed-facts", facts)
    assert main(["build", "--facts", str(facts), "--out", str(root / "a")]) == 0
    change(facts)
    assert main(["build", "--facts", str(facts), "--out", str(root / "b"), "--previous", str(root / "a")]) == 0
    return root / "a", root / "b"


def kinds(document):
    return {k["kind"]: k for k in document["kinds"]}


def test_diff_lists_records_with_their_changed_fields(releases, cli):
    a, b = releases
    code, out, err = cli("diff", a, b, "--format", "json")
    assert (code, err) == (0, "")
    found = kinds(json.loads(out))
    assert set(found) == {"sources", "events", "statements"}
    assert [e["iri"].rsplit("/", 1)[1] for e in found["sources"]["added"]] == [NEW_SOURCE]
    assert [e["iri"].rsplit("/", 1)[1] for e in found["statements"]["removed"]] == [
        "samsung-declines-comment-second-approval"]
    assert found["statements"]["removed"][0]["label"]
    (event,) = found["events"]["changed"]
    assert event["label"] == "Japan's first approval of EUV photoresist exports"
    fields = {f["field"]: (f["removed"], f["added"]) for f in event["fields"]}
    assert fields["dkg:earliestDate"] == (["2019-08-01"], ["2019-08-07"])
    assert fields["rdfs:label"] == (["Japan's first approval of photoresist exports to Samsung Electronics "
                                     "under the new controls"], ["Japan's first approval of EUV photoresist exports"])
    assert set(fields) == {"dkg:earliestDate", "rdfs:label"}


def test_text_and_markdown_say_the_same_and_are_stable(releases, cli):
    a, b = releases
    code, text, _ = cli("diff", a, b)
    assert code == 0
    assert f"  ~ {FIRST}" in text and f"  + source:{NEW_SOURCE}" in text
    assert '      dkg:earliestDate: "2019-08-01" -> "2019-08-07"' in text
    assert "statements: 0 added, 1 removed, 0 changed" in text
    code, markdown, _ = cli("diff", a, b, "--format", "markdown")
    assert code == 0 and f"- changed `{FIRST}`" in markdown
    assert r"A \*new\* report \| with \[markup\]" in markdown  # a label is text, never markup
    assert cli("diff", a, b, "--format", "markdown")[1] == markdown


def test_build_previous_writes_changes_md_listed_in_the_checksums(releases, cli):
    a, b = releases
    changes = (b / "CHANGES.md").read_text(encoding="utf-8")
    assert changes.startswith("# Changes from the previous release (")
    assert f"- changed `{FIRST}`" in changes and f"- added `source:{NEW_SOURCE}`" in changes
    assert "CHANGES.md" in (b / CHECKSUMS).read_text(encoding="utf-8")
    assert not (a / "CHANGES.md").exists()
    code, out, _ = cli("diff", b, b)
    assert code == 0 and out.endswith("no changes\n")


def test_diff_of_git_revisions_of_the_facts(tmp_path, cli, monkeypatch):
    git = require_program("git", "apt-get install git")
    from tests.conftest import DATA

    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args):
        subprocess.run([git, *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    shutil.copytree(DATA / "seed-facts", tmp_path / "facts")
    run("init", "-q")
    run("add", "facts")
    run("commit", "-qm", "seed")
    change(tmp_path / "facts")
    run("commit", "-qam", "changed")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("diff", "HEAD~1", "HEAD", "--format", "json")
    assert (code, err) == (0, "")
    found = kinds(json.loads(out))
    assert [e["iri"].rsplit("/", 1)[1] for e in found["statements"]["removed"]] == [
        "samsung-declines-comment-second-approval"]
    assert {f["field"] for f in found["events"]["changed"][0]["fields"]} == {"dkg:earliestDate", "rdfs:label"}
    code, _, err = cli("diff", "HEAD~1", "no-such-revision")
    assert code == 2 and "not a release folder nor a git revision" in err
    code, _, err = cli("diff", "--", "-rf", "HEAD")
    assert code == 2 and "Traceback" not in err


def damaged(release, tmp_path, name):
    copy = tmp_path / name
    shutil.copytree(release, copy)
    return copy


def test_a_folder_that_is_not_a_release_is_refused(releases, cli, tmp_path):
    code, _, err = cli("diff", tmp_path, releases[1])
    assert code == 2 and "not a release" in err and len(err.splitlines()) == 1


def test_a_release_with_a_bad_checksum_list_is_refused(releases, cli, tmp_path):
    changed = damaged(releases[0], tmp_path, "changed")
    with open(changed / "events.csv", "a", encoding="utf-8") as handle:
        handle.write("x\r\n")
    code, _, err = cli("diff", changed, releases[1])
    assert code == 2 and "events.csv does not match its checksum" in err
    garbled = damaged(releases[0], tmp_path, "garbled")
    (garbled / CHECKSUMS).write_text("not a checksum line\n", encoding="utf-8")
    code, _, err = cli("diff", garbled, releases[1])
    assert code == 2 and "SHA256SUMS:1: not a sha256sum line" in err
    missing = damaged(releases[0], tmp_path, "missing")
    (missing / "void.ttl").unlink()
    code, _, err = cli("diff", missing, releases[1])
    assert code == 2 and "lists void.ttl, which is missing" in err


def test_releases_of_different_ontology_versions_are_refused(releases, cli, tmp_path):
    other = damaged(releases[0], tmp_path, "other-version")
    path = other / "dispute-kg.nt"
    data = path.read_bytes().replace(b'<http://www.w3.org/2002/07/owl#versionInfo> "0.', b'<http://www.w3.org/'
                                     b'2002/07/owl#versionInfo> "9.')
    assert data != path.read_bytes()
    path.write_bytes(data)
    sums = (other / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    digest = hashlib.sha256(data).hexdigest()
    (other / CHECKSUMS).write_text("\n".join(f"{digest}  dispute-kg.nt" if line.endswith("  dispute-kg.nt")
                                             else line for line in sums) + "\n", encoding="utf-8")
    code, _, err = cli("diff", other, releases[1])
    assert code == 2 and "ontology version 9." in err and "--across-versions" in err
    code, out, _ = cli("diff", other, releases[1], "--across-versions")
    assert code == 0 and "version 9." in out


def test_build_with_a_bad_previous_release_writes_nothing(cli, tmp_path, facts_copy):
    out = tmp_path / "dist"
    code, _, err = cli("build", "--facts", facts_copy, "--out", out, "--previous", tmp_path / "nothing-here")
    assert code == 2 and "not a release" in err and not out.exists()
