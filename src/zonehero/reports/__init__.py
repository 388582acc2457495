"""Documents that leave zonehero (报表与文书): xlsx workbooks, PDF notices and reports.

Writers take results and figures already read (frames, dataclasses) and
write files atomically; they never open the database or read ``Settings``,
so the CLI on files and the web app on the store give the same document. They
may import the cores and ``zonehero.errors`` only.
"""
