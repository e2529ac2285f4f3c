"""Reading scanned pages of printed forms (v2): pure image work, no database.

``images`` turns an uploaded file into page images (grey, numpy); ``page`` finds a page's
machine code, orientation and registration marks, straightens it onto its printed layout
and measures every answer box; ``judge`` decides each question's answer from its row of
boxes, or asks a person. OpenCV, zxing-cpp and pypdfium2 do the pixel work; Python only
loops over boxes and questions.
"""
