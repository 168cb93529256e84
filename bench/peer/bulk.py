"""Writing many model rows fast, the same way for both sides (Django and psycopg only).

Imported by ours.py and theirs.py, each in its own virtualenv. On PostgreSQL the rows go in with
COPY (psycopg's copy protocol): measured on this machine it loads a million tickets' messages in
minutes where bulk_create's INSERTs, which Django compiles row by row, take most of an hour. On
SQLite it is bulk_create. Either way the rows are the model's own: each field's default and
pre_save (auto_now) apply and the values are converted by the field, exactly as bulk_create
would; only Django's per-row SQL compilation is skipped. Triggers fire as for any INSERT (COPY
fires them on PostgreSQL), so nothing the database maintains is bypassed.
"""

from django.db import connection, transaction


def _columns(model, objs):
    """The concrete fields to write: the primary key only when the rows carry it."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pk = model._meta.pk
    if objs and getattr(objs[0], pk.attname) is not None:
        fields.insert(0, pk)
    return fields


def write(model, objs, *, keep: tuple[str, ...] = (), batch_size: int = 5000) -> None:
    """Insert `objs` (unsaved instances of `model`); primary keys are not read back.

    `keep` names auto_now/auto_now_add fields whose given value is written as it is (a
    generated creation date) where pre_save would put the current time.
    """
    if not objs:
        return
    fields = _columns(model, objs)
    kept = {f: (f.auto_now, f.auto_now_add) for f in fields if f.name in keep}
    # For this write only (bulk_create on SQLite, pre_save below): leave the given value alone.
    for f in kept:
        f.auto_now = f.auto_now_add = False
    try:
        _write(model, objs, fields, batch_size)
    finally:
        for f, (auto_now, auto_now_add) in kept.items():
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _write(model, objs, fields, batch_size):
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        f.get_db_prep_save(f.pre_save(obj, True), connection)
                        if f is not model._meta.pk
                        else getattr(obj, f.attname)
                        for f in fields
                    ]
                )


def reset_sequences(*models) -> None:
    """Rows written with their ids: move PostgreSQL's id sequences past them."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
