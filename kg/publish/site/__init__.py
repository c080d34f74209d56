"""The release's web site (``dist/site/``): a page per resource at a path mirroring its IRI, its
description beside it in Turtle, JSON-LD and N-Triples, lists by kind, search, the timeline and a
query page; and ``serve``'s front server that negotiates between them (server.py).

Modules: graph (the graph as the site reads it), model (resources, kinds, lists), pages (what a
resource's page shows), schema_org (embedded JSON-LD), search_index, negotiation (media types,
Accept, Apache rules), render (templates -> files), server (HTTP front for ``serve``).
"""
