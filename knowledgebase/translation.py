"""Which knowledge-base fields are translated (django-modeltranslation: a column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Category, Tag


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
