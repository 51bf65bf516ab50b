"""Cells of the pipeline's CSV files, written so that a spreadsheet program opens them safely: shared by the
downloads streamed from a page and the files a worker builds (the exports app)."""

import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection). They skip leading spaces and read
    full-width signs as ASCII ones, so the check does too."""
    text = "" if value is None else str(value)
    start = unicodedata.normalize("NFKC", text).lstrip()[:1]
    return f"'{text}" if text[:1] in FORMULA_STARTS or start in FORMULA_STARTS else text
