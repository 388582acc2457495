"""四个一批 project records in the store: projects, yearly plans, monthly progress, photos, difficulties, snapshots.

The services wrap the pure core ``zonehero.core.schedule`` in transactions, audit and permissions.
"""
