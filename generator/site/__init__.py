"""The site: views of the records, pages, feeds, calendar, exports, the built-site check."""
