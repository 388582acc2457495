"""The durable store's plumbing (数据库): declarative base, engines and the unit of work.

Feature tables live in their feature's ``models.py``; this package holds
only what every feature shares (``Base``, the engine and session factory, the
migration runner). It imports no feature and no edge.
"""
