"""企业确认 (enterprise confirmation): before the draft, each enterprise confirms or disputes its year's figures."""
