"""Enterprises (企业) keyed by USCC, their name history and yearly figures with lineage."""
