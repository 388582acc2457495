"""Pure domain rules: no I/O, no framework imports."""
