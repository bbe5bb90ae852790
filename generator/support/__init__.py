"""Mechanisms every stage shares: the cache, the process pool, the atomic writer, YAML
files, slugs, the lock."""
