"""One module per document format: bytes or a file in, the text to scan (and how to map it back) out."""
