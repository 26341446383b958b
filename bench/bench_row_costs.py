#!/usr/bin/env python
"""Per-row costs of the tables a case writes, measured on a seeded database (docs/scaling.md).

For each table: rows per case in the source database (written by the real
services, e.g. ``seed_demo --history small``), and the **marginal** bytes a row
costs in heap, TOAST and indexes. The marginal figure comes from a scratch copy
of the database whose rows are copied ``--copies`` times (the same contents,
new ids): (size after − size before) / (rows after − rows before), so the fixed
cost of empty pages, partitions and index roots does not inflate it. Unique
indexes are replaced by plain ones of the same columns in the copy, and btree
deduplication is switched off there (copies repeat values, which it would fold
away): index figures are the conservative, undeduplicated ones. Sizes of partitioned tables are summed over their
partitions. The scratch copy is dropped afterwards.

    python bench/bench_row_costs.py --server postgres://postgres@127.0.0.1:5432 --database minsheng --copies 20
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import psycopg

TABLES = [
    "feedback_submission",
    "feedback_caseevent",
    "feedback_notification",
    "routing_routingdecision",
    "routing_assignment",
    "routing_deadline",
    "routing_escalation",
    "feedback_reply",
    "feedback_rating",
    "open311_servicerequest",
]


def sizes(conn, table: str) -> dict[str, int]:
    row = conn.execute(
        "SELECT coalesce(sum(pg_relation_size(relid)), 0),"
        " coalesce(sum(pg_total_relation_size(relid) - pg_relation_size(relid) - pg_indexes_size(relid)), 0),"
        " coalesce(sum(pg_indexes_size(relid)), 0)"
        " FROM (SELECT relid FROM pg_partition_tree(%s::regclass) WHERE isleaf"
        "       UNION SELECT %s::regclass WHERE (SELECT relkind FROM pg_class WHERE oid = %s::regclass) = 'r') leaves",
        [table, table, table],
    ).fetchone()
    rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"heap": int(row[0]), "toast": int(row[1]), "indexes": int(row[2]), "rows": int(rows)}


def index_count(conn, table: str) -> int:
    return conn.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [table]).fetchone()[0]


def plain_uniques(conn, table: str) -> None:
    """Unique constraints and indexes → plain indexes on the same columns (same size, duplicates allowed)."""
    for name, definition in conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    ).fetchall():
        columns = re.search(r"\((.*)\)", definition).group(1)
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        conn.execute(f'CREATE INDEX "{name}" ON {table} ({columns})')
    for name, definition in conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND x.indisunique AND NOT x.indisprimary",
        [table],
    ).fetchall():
        conn.execute(f'DROP INDEX "{name}"')
        conn.execute(definition.replace("CREATE UNIQUE INDEX", "CREATE INDEX"))


def no_deduplication(conn, table: str) -> None:
    """Copied rows repeat their values, which btree deduplication would fold away: count every entry instead.

    That is the conservative figure (real values repeat less; foreign keys shared by a case's rows still
    deduplicate a little in production).
    """
    for (index,) in conn.execute(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relkind = 'i' AND i.indrelid IN "
        "(SELECT relid FROM pg_partition_tree(%s::regclass) UNION SELECT %s::regclass)",
        [table, table],
    ).fetchall():
        conn.execute(f"ALTER INDEX {index} SET (deduplicate_items = off)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", required=True, help="a seeded database (left untouched)")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--json", dest="json_out", default="")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,50}", args.database):
        parser.error("--database must be a plain PostgreSQL name")
    scratch = f"{args.database}_rowcosts"
    server = args.server.rstrip("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {scratch} TEMPLATE {args.database}")
    report: dict = {"database": args.database, "copies": args.copies, "tables": {}}
    try:
        with psycopg.connect(f"{server}/{scratch}", autocommit=True) as conn:
            cases = conn.execute("SELECT count(*) FROM feedback_submission").fetchone()[0]
            report["cases"] = cases
            for table in TABLES:
                if conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
                    continue
                conn.execute(f"VACUUM ANALYZE {table}")
                before = sizes(conn, table)
                has_id = conn.execute(
                    "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id'", [table]
                ).fetchone()
                if before["rows"] == 0 or not has_id:  # a one-to-one row keyed by its case cannot be copied
                    continue
                plain_uniques(conn, table)
                no_deduplication(conn, table)
                columns = [
                    r[0]
                    for r in conn.execute(
                        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                        "AND NOT attisdropped AND attname <> 'id' ORDER BY attnum",
                        [table],
                    ).fetchall()
                ]
                listed = ", ".join(f'"{c}"' for c in columns)
                top = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
                for _ in range(args.copies):
                    conn.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {table} WHERE id <= %s", [top])
                conn.execute(f"VACUUM ANALYZE {table}")
                after = sizes(conn, table)
                added = after["rows"] - before["rows"]
                parts = ("heap", "toast", "indexes")
                per_row = {part: round((after[part] - before[part]) / added, 1) for part in parts}
                per_row["total"] = round(sum(per_row.values()), 1)
                report["tables"][table] = {
                    "rows": before["rows"],
                    "rows_per_case": round(before["rows"] / cases, 3) if cases else None,
                    "indexes": index_count(conn, table),
                    "bytes_per_row": per_row,
                    "bytes_per_case": round(per_row["total"] * before["rows"] / cases, 1) if cases else None,
                }
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
    print(f"{report['cases']} cases in {args.database}; marginal bytes per row from {args.copies} copies")
    print(f"{'table':26} {'rows/case':>9} {'heap':>7} {'toast':>6} {'index':>7} {'B/row':>7} {'B/case':>7}  indexes")
    for table, t in report["tables"].items():
        b = t["bytes_per_row"]
        print(
            f"{table:26} {t['rows_per_case']:9.2f} {b['heap']:7.0f} {b['toast']:6.0f} {b['indexes']:7.0f} "
            f"{b['total']:7.0f} {t['bytes_per_case']:7.0f}  {t['indexes']}"
        )
    total = sum(t["bytes_per_case"] or 0 for t in report["tables"].values())
    report["bytes_per_case"] = round(total, 1)
    print(f"{'all of the above':26} {'':9} {'':7} {'':6} {'':7} {'':7} {total:7.0f}")
    if args.json_out:
        with open(args.json_out, "w") as out:
            json.dump(report, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
