"""The PostgreSQL backend's index: one row per (article, language), like the whoosh documents.

Only `pg_backend.PostgresBackend` reads or writes it; the table exists (empty) on SQLite too.
"""

from django.db import models


class TsVectorField(models.Field):
    """A PostgreSQL tsvector column (plain text elsewhere; only the PostgreSQL backend uses it).

    Not django.contrib.postgres's SearchVectorField: that one wants the postgres app installed,
    and the project also runs on SQLite.
    """

    description = "PostgreSQL tsvector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    key = models.CharField(max_length=220, unique=True)  # "<article_id>:<language>"
    article_id = models.BigIntegerField(db_index=True)
    slug = models.CharField(max_length=200, db_index=True)
    language = models.CharField(max_length=8)
    languages = models.CharField(max_length=64)  # the article's languages, space-separated
    category = models.CharField(max_length=100, blank=True)
    visibility = models.CharField(max_length=10)
    title = models.TextField()
    text = models.TextField()
    # Our own analysis (knowledgebase.search.analysis) as lexemes: title weight A, text weight B.
    vector = TsVectorField(null=True)

    class Meta:
        verbose_name = "search document"

    def __str__(self):
        return self.key
