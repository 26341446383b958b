"""Monthly PostgreSQL declarative partitioning of the append-only tables.

The fastest-growing tables (case events, notifications, routing decisions; see
docs/scaling.md) are ``PARTITION BY RANGE (created_at)`` with one partition a
calendar month (UTC) named ``<table>_pYYYYMM`` and a ``<table>_pdefault``
partition that catches a row outside every month made so far (a back-dated
import, the demo city's simulated past). ``ensure_partitions`` (beat, daily;
``manage.py ensure_partitions``) keeps months ahead of the clock and moves any
rows that fell into the default partition into months of their own.

At database level the primary key is ``(id, created_at)``: PostgreSQL requires
every unique constraint of a partitioned table to contain the partition key.
Django keeps ``id`` as the model's primary key (ids still come from one
sequence, so they stay unique), unique constraints get ``created_at`` appended,
and foreign keys *pointing at* a partitioned table cannot exist (they would
need a unique constraint on ``id`` alone): the model field says
``db_constraint=False`` and the application, which only appends, keeps them
true.

Only this module knows the SQL. It imports no app: the migrations that convert
a table call :func:`convert_to_monthly` / :func:`convert_to_plain`, and the
maintenance finds its tables in the catalogue (every partitioned table with a
``_pdefault`` partition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, transaction
from django.utils import timezone

DEFAULT_MONTHS_AHEAD = 3
# Serialises maintenance: two beats (or a beat and a command) never attach the same month twice.
_ADVISORY_LOCK = 0x6D730001
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class Created:
    table: str
    partition: str
    moved_rows: int


def _month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _add_months(month: datetime, count: int) -> datetime:
    index = month.year * 12 + month.month - 1 + count
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition_name(table: str, month: datetime) -> str:
    return f"{table}_p{month.year:04d}{month.month:02d}"


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain table or column name: {name!r}")
    return name


def _quote_ts(moment: datetime) -> str:
    return "'" + moment.strftime("%Y-%m-%d %H:%M:%S+00") + "'"


# --- catalogue ----------------------------------------------------------------------------------


def _constraints(cursor, table: str) -> list[tuple[str, str, str]]:
    """(name, type p/u/f/c, definition) of the table's own constraints."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [table],
    )
    return list(cursor.fetchall())


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of indexes that back no constraint."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
        [table],
    )
    return list(cursor.fetchall())


def _referencing(cursor, table: str) -> list[tuple[str, str]]:
    """(referencing table, constraint name) of foreign keys that point at ``table``."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f' AND conrelid <> confrelid",
        [table],
    )
    return list(cursor.fetchall())


def is_partitioned(table: str, using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))", [table])
        return bool(cursor.fetchone()[0])


def partitions_of(table: str, using: str = "default") -> list[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def managed_tables(using: str = "default") -> list[tuple[str, str]]:
    """(table, partition column) of every table partitioned by this module."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT p.partrelid::regclass::text, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partstrat = 'r' AND p.partnatts = 1 "
            "AND to_regclass(p.partrelid::regclass::text || '_pdefault') IS NOT NULL ORDER BY 1"
        )
        return [(str(t), str(c)) for t, c in cursor.fetchall()]


# --- conversion (used by migrations) ------------------------------------------------------------


def _set_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)",
        [table],
    )


def convert_to_monthly(
    schema_editor, table: str, column: str = "created_at", *, months_ahead: int = DEFAULT_MONTHS_AHEAD
) -> None:
    """Turn the plain table ``table`` into one partitioned by month of ``column``, keeping every row and id.

    Indexes, foreign keys and unique constraints are recreated under their names
    (unique ones and the primary key with ``column`` appended); foreign keys that
    pointed at the table are dropped (see the module's docstring).
    """
    table, column = _check_name(table), _check_name(column)
    old = f"{table}__plain"
    with schema_editor.connection.cursor() as cursor:
        constraints = _constraints(cursor, table)
        indexes = _plain_indexes(cursor, table)
        for referencing_table, name in _referencing(cursor, table):
            cursor.execute(f'ALTER TABLE {referencing_table} DROP CONSTRAINT "{name}"')
        cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, _kind, _definition in constraints:
            cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
        cursor.execute(
            f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE) "
            f"PARTITION BY RANGE ({column})"
        )
        cursor.execute(f"SELECT min({column}) FROM {old}")
        oldest = cursor.fetchone()[0]
        now = timezone.now()
        month = _month_start(min(oldest, now) if oldest else now)
        last = _add_months(_month_start(now), months_ahead)
        while month <= last:
            _create_partition(cursor, table, month)
            month = _add_months(month, 1)
        cursor.execute(f"CREATE TABLE {table}_pdefault PARTITION OF {table} DEFAULT")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
        cursor.execute(f"DROP TABLE {old}")
        cursor.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id")
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
        _set_sequence(cursor, table)
        for name, kind, definition in constraints:
            if kind in ("p", "u"):
                definition = re.sub(r"\)$", f", {column})", definition) if column not in definition else definition
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            if " UNIQUE " in definition and column not in definition:
                definition = re.sub(r"\)$", f", {column})", definition)
            cursor.execute(definition.replace(f" ON public.{old} ", f" ON public.{table} "))


def convert_to_plain(schema_editor, table: str, column: str = "created_at") -> None:
    """The reverse of :func:`convert_to_monthly`: one plain table with an identity ``id``, every row kept."""
    table, column = _check_name(table), _check_name(column)
    old = f"{table}__partitioned"
    with schema_editor.connection.cursor() as cursor:
        constraints = _constraints(cursor, table)
        indexes = _plain_indexes(cursor, table)
        cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, _kind, _definition in constraints:
            cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
        cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING STORAGE)")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
        cursor.execute(f"DROP TABLE {old}")  # its partitions and its sequence go with it
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        _set_sequence(cursor, table)
        for name, kind, definition in constraints:
            if kind in ("p", "u"):
                definition = definition.replace(f", {column})", ")")
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            if " UNIQUE " in definition:
                definition = definition.replace(f", {column})", ")")
            cursor.execute(definition.replace(f" ON public.{old} ", f" ON public.{table} "))


def _create_partition(cursor, table: str, month: datetime) -> None:
    cursor.execute(
        f"CREATE TABLE {partition_name(table, month)} PARTITION OF {table} "
        f"FOR VALUES FROM ({_quote_ts(month)}) TO ({_quote_ts(_add_months(month, 1))})"
    )


# --- maintenance (beat, command) ----------------------------------------------------------------


def ensure_partitions(
    months_ahead: int = DEFAULT_MONTHS_AHEAD, *, now: datetime | None = None, using: str = "default"
) -> list[Created]:
    """Create every missing month up to ``months_ahead`` past ``now``, and a month for rows in the default.

    Rows that landed in ``<table>_pdefault`` (no month existed for them) are
    moved into a new partition of their month in the same transaction, so the
    default partition ends empty. Safe to run twice or concurrently.
    """
    now = now or timezone.now()
    created: list[Created] = []
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        for table, column in managed_tables(using):
            existing = set(partitions_of(table, using))
            default = f"{table}_pdefault"
            cursor.execute(
                f"SELECT DISTINCT date_trunc('month', {column} AT TIME ZONE 'UTC') FROM {default} ORDER BY 1"
            )
            stray = [row[0].replace(tzinfo=UTC) for row in cursor.fetchall()]
            wanted = set(stray)
            month = _month_start(now)
            for _ in range(months_ahead + 1):
                wanted.add(month)
                month = _add_months(month, 1)
            for month in sorted(wanted):
                name = partition_name(table, month)
                if name in existing:
                    continue
                moved = 0
                if month in stray:
                    start, end = _quote_ts(month), _quote_ts(_add_months(month, 1))
                    cursor.execute(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
                    cursor.execute(
                        f"WITH moved AS (DELETE FROM {default} WHERE {column} >= {start} AND {column} < {end} "
                        f"RETURNING *) INSERT INTO {name} SELECT * FROM moved"
                    )
                    moved = cursor.rowcount
                    cursor.execute(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({start}) TO ({end})")
                else:
                    _create_partition(cursor, table, month)
                created.append(Created(table=table, partition=name, moved_rows=moved))
    return created


def partition_holding(table: str, pk: int, using: str = "default") -> str:
    """The partition a row lives in (for tests and the command's report)."""
    _check_name(table)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"{table} has no row {pk}")
    return str(row[0])
