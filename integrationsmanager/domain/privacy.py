"""What every document and export with personal data says about it (DSGVO)."""

from __future__ import annotations

PERSONAL_DATA_NOTICE = (
    "Enthält personenbezogene Daten – vertraulich behandeln, nicht weitergeben, "
    "nach Gebrauch vernichten (DSGVO)"
)
"""Printed on the first page of PDFs and in the page header of spreadsheets that name people.

CSV and vCard files carry no notice: a line above the header row would break the columns of
a CSV (and every program that reads it back), and vCard has no field for it.
"""
