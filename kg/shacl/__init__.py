"""Stage 4: SHACL validation (shapes compiled to SPARQL on Oxigraph) and reports for curators."""
