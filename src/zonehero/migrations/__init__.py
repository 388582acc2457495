"""Alembic migrations of the zonehero store (configured in code by ``zonehero.db.migrate``).

``metadata`` gathers every feature's tables into one ``Base.metadata`` for
autogenerate and the drift check. It sits above the features because it must
import all of them; nothing but Alembic's ``env.py`` and the migration tests
import it.
"""
