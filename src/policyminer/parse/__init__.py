"""Parse: PDF (text layer, layout), text files → pages, sections and clean paragraphs."""
