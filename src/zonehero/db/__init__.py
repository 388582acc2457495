"""The durable store: declarative base, unit of work, migrations."""
