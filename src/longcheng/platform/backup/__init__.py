"""Portable backup and restore (备份与恢复): one archive that moves between SQLite and PostgreSQL.

``longcheng backup --out FILE`` writes an uncompressed tar whose first member is
``manifest.json`` (format version, the Alembic revisions, per table its row count, columns and
the sha256 of its part, and the sha256 of every stored file), followed by one gzip-compressed
JSON Lines part per table (``tables/<name>.jsonl.gz``, rows in primary-key order) and the files
under ``data_dir/files`` (``files/…``). The tantivy search index is derived data and left out
(``longcheng intel reindex`` rebuilds it); the SQLite name index is rebuilt on restore through
the ``core.hooks.DATA_RESTORED`` announcement.

``longcheng restore FILE`` checks the whole archive first (a truncated archive or a changed byte
is refused naming the part), refuses a non-empty target and an archive from a newer schema
(naming both revisions), migrates an empty target to the archive's revisions, then inserts every
table in foreign-key order in batches, rows exactly as they were (the audit chain is not
re-hashed, so ``longcheng audit verify`` passes), and resets PostgreSQL's sequences.

Start reading at ``service.py`` (backup and restore against a database); ``archive.py`` is the
pure part (manifest, parts, checksums, value encoding); ``cli.py`` holds the two commands.
"""
