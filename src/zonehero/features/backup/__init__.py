"""Backup and restore (备份与恢复): one archive holding a consistent database snapshot, the data folder's files and
a manifest of row counts and checksums; restored into an empty SQLite or PostgreSQL store.

``service`` decides (who may, which way a restore goes, when it is refused); ``archive`` writes and checks the tar
file; ``datafiles`` says which files of the data folder belong in it; ``sqlite_snapshot`` and ``postgres_dump``
take and load the engines' snapshots; ``repository`` holds the generic queries over every table (counts, the
emptiness check, the row copy between engines). Nothing here names a feature's table: whatever the migrations
create is backed up, so a new table needs no change here.
"""
