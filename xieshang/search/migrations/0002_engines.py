"""The full-text structures of each database, which the ORM does not model (docs/search.md).

SQLite: a contentless FTS5 table keyed by the document's id, kept in step by triggers, with a ``scope``
column holding one word per committee so that a search never walks another committee's postings.
PostgreSQL: a generated ``tsvector`` column (the scope word at weight D, the title at A, the body at B;
configuration 'simple' over the already segmented words, so Chinese works) with a GIN index, and a
trigram index on the segmented titles for fuzzy matches."""

from django.db import migrations

SQLITE_FORWARD = [
    # remove_diacritics 0: PostgreSQL's 'simple' configuration keeps accents, and both engines must see
    # the same words.
    "CREATE VIRTUAL TABLE search_fts USING fts5(scope, title, body, content='', "
    "tokenize='unicode61 remove_diacritics 0')",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, scope, title, body)
        VALUES (new.id, 'scope' || new.committee_id, new.title_tokens, new.tokens);
    END""",
    # A contentless table forgets a row only when given the words it indexed: the old row's.
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, scope, title, body)
        VALUES ('delete', old.id, 'scope' || old.committee_id, old.title_tokens, old.tokens);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF committee_id, title_tokens, tokens
    ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, scope, title, body)
        VALUES ('delete', old.id, 'scope' || old.committee_id, old.title_tokens, old.tokens);
        INSERT INTO search_fts(rowid, scope, title, body)
        VALUES (new.id, 'scope' || new.committee_id, new.title_tokens, new.tokens);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', 'scope' || committee_id::text), 'D')
        || setweight(to_tsvector('simple', title_tokens), 'A')
        || setweight(to_tsvector('simple', tokens), 'B')
    ) STORED""",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING GIN (tsv)",
    "CREATE INDEX search_document_title_trgm ON search_searchdocument USING GIN (title_tokens gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]

STATEMENTS = {"sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD), "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)}


def _run(schema_editor, direction):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError(f"search: no full-text engine for {schema_editor.connection.vendor}")
    for sql in statements[direction]:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def backward(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
