"""Grouping: articles about the same meeting become one meeting; near copies are found."""
