"""CSVW metadata (W3C "Metadata Vocabulary for Tabular Data") for the release's tables.

Each ``NAME.csv`` gets ``NAME.csv-metadata.json`` beside it, the name CSVW
processors look for: every column's name, datatype, separator and the
ontology property its cells state (``propertyUrl``, with ``valueUrl`` turning
slugs into record IRIs), so a CSV-to-RDF processor gives back triples of our
graph. Derived columns (family, codes, counts, labels of referenced records)
have a description and no property.
"""

from __future__ import annotations

import json

from kg.publish.tables import SEPARATOR, Column, Table

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"


def column_description(column: Column) -> dict:
    """One CSVW column description."""
    out = {"name": column.name, "titles": column.name, "datatype": column.datatype,
           "dc:description": column.description}
    if column.property:
        out["propertyUrl"] = column.property
    if column.value_url:
        out["valueUrl"] = column.value_url
    if column.multi:
        out["separator"] = SEPARATOR
    if column.lang:
        out["lang"] = column.lang
    if column.name == "iri":
        out["suppressOutput"] = True  # it is the subject (aboutUrl), not a value
    return out


def table_metadata(table: Table, *, version: str, license: str | None) -> bytes:
    """``NAME.csv-metadata.json`` for one table.

    Args:
        table: the table (its columns and file name).
        version: the release version.
        license: the data licence IRI, if known.

    Returns:
        Sorted, indented JSON (the same bytes every build).
    """
    document = {
        "@context": [CSVW_CONTEXT, {"@language": "en"}],
        "url": table.file,
        "dc:title": f"dispute-kg {version}: {table.title}",
        "schema:version": version,
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"],
                    "doubleQuote": True},
        "tableSchema": {
            "aboutUrl": "{+iri}",
            "primaryKey": "iri",
            "columns": [column_description(c) for c in table.columns],
        },
        "rdfs:comment": "Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, "
                        "a tab or a carriage return), and text cells starting with an apostrophe, are "
                        "written with one leading apostrophe; drop it to get the value.",
    }
    if license:
        document["dc:license"] = {"@id": license}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
