"""Plain SQL for the few hot reads where building the ORM's query costs several times running
it (docs/benchmarks.md). What such a read gives back goes through `orm_values`, so it is what a
queryset would have given."""

from django.db import connection


def orm_values(model, field_names, values) -> list:
    """`values`, read from the columns of `model`'s fields `field_names` (in that order), through
    the database's converters and the fields' own, as a queryset's would be: on SQLite a time
    comes back as text and leaves here an aware datetime, for one."""
    table = model._meta.db_table
    out = []
    for name, value in zip(field_names, values, strict=True):
        field = model._meta.get_field(name)
        column = field.get_col(table)
        converters = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        for converter in converters:
            value = converter(value, column, connection)
        out.append(value)
    return out
