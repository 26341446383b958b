"""The column list and values of a model instance, for INSERT statements written by hand.

The hot paths (intake, notifications) write several rows in one statement
(``WITH … INSERT … RETURNING``); this turns an unsaved instance into that
statement's parts exactly as ``Model.save()`` would (defaults, ``auto_now``,
field preparation), so the statement never drifts from the model.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model


def insert_parts(obj: Model, *, sql: dict[str, tuple[str, list[Any]]] | None = None) -> tuple[str, str, list[Any]]:
    """``(columns, placeholders, params)`` of ``obj``'s INSERT; ``sql`` maps attnames to (expression, params).

    An expression in ``sql`` replaces the field's value (e.g. a column taken
    from an earlier CTE); the auto primary key is left to the database.
    """
    sql = sql or {}
    quote = connection.ops.quote_name
    columns: list[str] = []
    placeholders: list[str] = []
    params: list[Any] = []
    meta = obj._meta
    for field in meta.concrete_fields:  # type: ignore[attr-defined]
        if field is meta.pk and getattr(obj, field.attname) is None:
            continue
        columns.append(quote(field.column))
        if field.attname in sql:
            expression, expression_params = sql[field.attname]
            placeholders.append(expression)
            params.extend(expression_params)
            continue
        placeholders.append("%s")
        params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))  # type: ignore[arg-type]
    return ", ".join(columns), ", ".join(placeholders), params
