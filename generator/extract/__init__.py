"""Extraction: one module per kind of fact found in an article's text."""
