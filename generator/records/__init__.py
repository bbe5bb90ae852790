"""Records: the schema, files on disk, hand-edit merge, state, review."""
