"""The edges (入口): the web app and the command line.

An edge parses input, opens one unit of work, calls one service and renders
what it returns (HTML, JSON, a file, a line of text); it decides nothing a
service could. ``web`` and ``cli`` sit side by side and do not import each
other. Everything below may be imported from here; nothing below imports an
edge.
"""
