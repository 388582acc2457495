"""Industry chains (产业链) without a database: the spreadsheets of chain tags and target firms, and the gaps."""
