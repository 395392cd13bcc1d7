"""Similar titles are computed over one committee's documents (backends.PostgresBackend.similar_titles):
the province-wide trigram index of 0002 walked every committee's titles for a common trigram, and only
cost writes. pg_trgm itself stays."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_title_trgm")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS search_document_title_trgm ON search_searchdocument "
                              "USING GIN (title_tokens gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_committee_words")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
