"""Alembic migrations of the zonehero store (configured in code by ``zonehero.db.migrate``)."""
