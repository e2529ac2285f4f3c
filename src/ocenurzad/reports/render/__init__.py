"""Drawing a computed report (reports/FORMAT.md): one builder per output format.

- html.py  ``report_html(report, *, query=None, search_params=None)``: the body for the panel
- pdf.py   ``report_pdf(report) -> bytes``: the A4 PDF (same template, print layout)
- xlsx.py  ``report_xlsx(report, *, responses=None) -> bytes``: workbook, raw data streamed
- csv.py   ``responses_csv_rows(...)`` and ``csv_stream(rows, *, dialect)``: raw answers
- json.py  ``report_json(report) -> bytes``: the figures themselves

Import the builder you need from its module (the PDF one loads WeasyPrint).
"""
