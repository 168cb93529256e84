from .articles import Article, ArticleTranslation, Category, Tag, TranslationState, Visibility
from .search_log import SearchLog

__all__ = [
    "Article",
    "ArticleTranslation",
    "Category",
    "SearchLog",
    "Tag",
    "TranslationState",
    "Visibility",
]
