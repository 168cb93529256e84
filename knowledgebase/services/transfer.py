"""kb_import / kb_export: articles as JSON lines, one article per line.

    {"slug": "...", "category": "...", "visibility": "public|internal|draft",
     "translations": {"nl": {"title": "...", "summary": "...", "body": "Markdown"}, ...}}

Import creates or updates by slug (running it twice changes nothing), creates unknown
categories, and takes each line whole or not at all: a bad line is reported with its number
and the reason, and skipped.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from knowledgebase.models import Article

from .articles import article_save

KEYS = ("slug", "category", "visibility", "translations")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, text)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)


class BadLine(ValueError):
    pass


def _parse(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadLine(_("not valid JSON (%(error)s)") % {"error": error.msg}) from None
    if not isinstance(data, dict):
        raise BadLine(_("a line must be one JSON object"))
    missing = [key for key in ("slug", "category", "translations") if not data.get(key)]
    if missing:
        raise BadLine(_("missing %(keys)s") % {"keys": ", ".join(missing)})
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise BadLine(_("unknown keys: %(keys)s") % {"keys": ", ".join(unknown)})
    for key in ("slug", "category"):
        if not isinstance(data[key], str):
            raise BadLine(_("%(key)s must be text") % {"key": key})
    if not isinstance(data["translations"], dict):
        raise BadLine(_("translations must be an object of languages"))
    return data


def article_import_line(text: str) -> str:
    """Import one line; return "created", "updated" or "unchanged". Raises BadLine."""
    data = _parse(text)
    article = Article.objects.filter(slug=data["slug"]).first()
    translations = data["translations"]
    source = None
    if article is None:
        # Written first in the default language when it has it, else in the first one given.
        from django.conf import settings

        source = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in translations else None
        source = source or next(iter(translations), None)
    try:
        with transaction.atomic():
            saved = article_save(
                article=article,
                slug=data["slug"],
                category=data["category"],
                visibility=data.get("visibility") or ("draft" if article is None else None),
                source_language=source,
                translations=translations,
            )
    except ValidationError as error:
        raise BadLine(" ".join(error.messages)) from None
    if article is None:
        return "created"
    return "updated" if saved.was_changed else "unchanged"


def articles_import(lines) -> ImportReport:
    """Import an iterable of lines (numbered from 1); blank lines are skipped."""
    report = ImportReport()
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if not text:
            continue
        try:
            outcome = article_import_line(text)
        except BadLine as error:
            report.rejected.append((number, str(error), text))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
