"""The plain engines (owlrl, rdflib's SPARQL, pySHACL) behind their flags, to compare the fast path with."""
