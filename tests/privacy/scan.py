"""Search everything stored (every text column of every model, every stored file) for strings."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def stored_text() -> str:
    chunks = []
    for model in apps.get_models():
        names = [
            field.attname for field in model._meta.concrete_fields if isinstance(field, TEXT_FIELDS)
        ]
        if not names:
            continue
        for row in model._base_manager.values_list(*names):
            chunks.append(" ".join(str(value) for value in row if value not in (None, "")))
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        for path in root.rglob("*"):
            if path.is_file():
                chunks.append(path.name)
                chunks.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def found(strings, haystack=None) -> list[str]:
    haystack = stored_text() if haystack is None else haystack
    return [string for string in strings if string.lower() in haystack.lower()]
