"""The documents a zone sends out, made from what the platform has stored (runs, figures, closed months).

The pure generators live in :mod:`zonehero.reports`; this package finds the
stored run or month, proves the document shows exactly that run, checks who
may have it and names the file.
"""
