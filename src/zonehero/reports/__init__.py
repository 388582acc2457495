"""Documents and files that leave zonehero: result exports, templates, reports."""
