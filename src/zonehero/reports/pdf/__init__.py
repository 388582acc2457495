"""PDF documents a zone sends out, drawn with ReportLab: annual report, notices, 公示 list, monthly briefing.

Every generator takes in-memory results (an ``EvaluationResult`` or a
``MonthlyReport``) and returns the PDF as bytes, so the web layer can stream
it and the CLI can write it. Chinese text is set in an embedded CJK font
(see :mod:`zonehero.reports.pdf.fonts`); charts are ReportLab drawings, so no
browser or plotting library is needed on the server.
"""
