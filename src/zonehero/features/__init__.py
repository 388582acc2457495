"""The features (业务功能): one folder per thing the bureau does with the store.

Each feature folder holds ``models.py`` (SQLAlchemy tables), ``repository.py``
(its queries, and the only place that writes them), ``service.py`` (the
decisions: transactions are flushed here, never committed; permissions and
gates are computed here and returned as objects) and ``schemas.py`` (what
crosses to the edges). A feature may import the cores, ``reports``, ``db``,
``config`` and other features' services and schemas, never another feature's
repository, and never an edge; import-linter enforces both.
"""
