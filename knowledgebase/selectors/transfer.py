"""kb_export: every article as one JSON line, in the format kb_import reads."""

import json
from collections.abc import Iterator

from knowledgebase.models import Article


def article_as_json(article: Article) -> str:
    data = {
        "slug": article.slug,
        "category": article.category.slug,
        "visibility": article.visibility,
        "translations": {code: article.text(code) for code in article.languages()},
    }
    return json.dumps(data, ensure_ascii=False)


def articles_export_lines(*, chunk_size: int = 500) -> Iterator[str]:
    articles = Article.objects.select_related("category").order_by("slug")
    for article in articles.iterator(chunk_size=chunk_size):
        yield article_as_json(article)
