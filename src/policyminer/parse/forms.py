"""Fillable forms: a filled-in form's answers live in its fields, not in its pages' text.

pdfium draws the fields' values into a page's content when the page is flattened; the parser
reads the page so, and the web app draws it so (a quote from a field is highlighted where the
value shows).
"""

from __future__ import annotations

from contextlib import suppress

import pypdfium2.raw as raw

__all__ = ["filled_in", "with_forms"]


def with_forms(document) -> None:
    """Load a fillable form's fields, so that pages can draw their values into their text."""
    with suppress(Exception):  # a broken form costs its field values, not the document
        if raw.FPDF_GetFormType(document.raw) != raw.FORMTYPE_NONE:
            document.init_forms()


def filled_in(document, index: int, page):
    """The page with its form fields' values drawn into its content (a filled-in form's answers
    live in the fields, not in the page's text); the page as it was when it has none. Call
    `with_forms` on the document first."""
    if document.formenv is None:
        return page
    widgets = any(
        _annot_subtype(page, i) == raw.FPDF_ANNOT_WIDGET
        for i in range(raw.FPDFPage_GetAnnotCount(page.raw))
    )
    if not widgets or page.flatten() != raw.FLATTEN_SUCCESS:
        return page
    page.close()  # flattening leaves the loaded page stale: load it again
    return document[index]


def _annot_subtype(page, index: int) -> int:
    annot = raw.FPDFPage_GetAnnot(page.raw, index)
    try:
        return raw.FPDFAnnot_GetSubtype(annot) if annot else -1
    finally:
        if annot:
            raw.FPDFPage_CloseAnnot(annot)
