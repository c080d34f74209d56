"""Stage 6: the release folder: graphs in every format, VoID, documentation, the timeline."""
