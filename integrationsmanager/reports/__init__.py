"""PDF documents with reportlab: shared fonts, text handling, page layout, one module per report.

Nothing here imports Qt: every report can be written from the command line and in tests.
"""
