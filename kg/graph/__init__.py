"""Stage 2: records into RDF: IRIs, namespaces, the builder, N-Triples and RDF input/output."""
