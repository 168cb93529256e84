"""Which model fields are translated (django-modeltranslation: one column per site language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Language, Outcome, Queue, ReferralOrganisation, RequesterType, Topic


@register(Topic)
@register(RequesterType)
@register(Outcome)
@register(ReferralOrganisation)
@register(Language)
@register(Queue)
class NameTranslationOptions(TranslationOptions):
    fields = ("name",)


from .answer import translation as _answer_translation  # noqa: E402, F401 - canned responses
