"""Each committee its own words inside the engines: every indexed word is prefixed with the committee's
fixed-width mark (k00000042), so that a common word's postings hold one committee's documents, not a
province's, and no query can reach another committee's postings at all. Replaces 0002's scope word.

The prefix is added by the engines' own SQL from the stored words (the triggers on SQLite, the generated
column on PostgreSQL), so the documents keep plain words. Existing documents are indexed again here.

SQLite caveat: Django alters a SQLite table by rebuilding it, which drops its triggers; a migration that
alters search_searchdocument must create SQLITE_TRIGGERS again."""

from django.db import migrations

# 'k' and eight digits, then the word: fixed width, so that committee 4's word "2建设" and committee 42's
# word "建设" can never meet.
SQLITE_MARK = "printf('k%08d', {row}.committee_id)"


def _sqlite_marked(row, column):
    mark = SQLITE_MARK.format(row=row)
    return (f"CASE WHEN {row}.{column} = '' THEN '' "
            f"ELSE {mark} || replace({row}.{column}, ' ', ' ' || {mark}) END")


def _sqlite_insert(row):
    return (f"INSERT INTO search_fts(rowid, title, body) VALUES ({row}.id, {_sqlite_marked(row, 'title_tokens')}, "
            f"{_sqlite_marked(row, 'tokens')});")


def _sqlite_delete(row):
    return (f"INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', {row}.id, "
            f"{_sqlite_marked(row, 'title_tokens')}, {_sqlite_marked(row, 'tokens')});")


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN {_sqlite_insert('new')} END",
    # A contentless table forgets a row only when given the words it indexed: the old row's.
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN {_sqlite_delete('old')} END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE OF committee_id, title_tokens, tokens ON search_searchdocument "
    f"BEGIN {_sqlite_delete('old')} {_sqlite_insert('new')} END",
]
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    # remove_diacritics 0: PostgreSQL's 'simple' configuration keeps accents, and both engines must see
    # the same words.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='', tokenize='unicode61 remove_diacritics 0')",
    *SQLITE_TRIGGERS,
    "INSERT INTO search_fts(rowid, title, body) SELECT d.id, "
    f"{_sqlite_marked('d', 'title_tokens')}, {_sqlite_marked('d', 'tokens')} FROM search_searchdocument d",
    "UPDATE search_searchdocument SET size = size - 1 WHERE size > 0",  # no scope word any more
]

PG_MARK = "'k' || lpad(committee_id::text, 8, '0')"


def _pg_marked(column):
    return f"regexp_replace({column}, '(\\S+)', {PG_MARK} || '\\1', 'g')"


POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
    f"""ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', {_pg_marked('title_tokens')}), 'A')
        || setweight(to_tsvector('simple', {_pg_marked('tokens')}), 'B')
    ) STORED""",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING GIN (tsv)",
    "UPDATE search_searchdocument SET size = size - 1 WHERE size > 0",
]

STATEMENTS = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}


def forward(apps, schema_editor):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"search: no full-text engine for {schema_editor.connection.vendor}")
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engines")]

    # Backwards: run search_reindex after migrating back to 0002 (its scope words are not rebuilt here).
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
