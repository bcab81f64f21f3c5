"""Where articles come from: Markdown/text files with front matter, saved web pages, feeds and
lists of links (fetched politely, cached).

See docs/architecture.md for what this package may import."""
