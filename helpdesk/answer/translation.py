"""Canned responses are translated like the lists: a column per site language (modeltranslation).

Registered from helpdesk/translation.py, the module modeltranslation discovers.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import CannedResponse


@register(CannedResponse)
class CannedResponseTranslationOptions(TranslationOptions):
    fields = ("name", "body")
