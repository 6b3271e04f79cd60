"""On PostgreSQL, a GIN index on the articles' full-text vector (the search of the help
centre, the suggestions and the agents' list use it). SQLite has no such index: search
there matches words (see knowledge.queries)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS knowledge_article_search ON knowledge_article USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS knowledge_article_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_and_categories")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
