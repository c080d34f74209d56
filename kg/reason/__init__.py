"""Stage 3: the OWL 2 RL closure (``reasonable``) on N-Triples, and the consistency gate on Oxigraph."""
