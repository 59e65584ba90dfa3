"""Reading a database that a subprocess migrated (not the test database), on either backend."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import psycopg

BACKEND = os.environ.get("REACTPY_TEST_BACKEND", "sqlite")


def pg_admin(dbname: str = "postgres") -> psycopg.Connection[tuple[Any, ...]]:
    """An autocommit connection to the test PostgreSQL server."""
    port = os.environ.get("REACTPY_TEST_PG_PORT", "54329")
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
    )


def query(name: str, statement: str) -> list[tuple[Any, ...]]:
    """The rows `statement` returns from the database `name` (a path on SQLite)."""
    if BACKEND == "postgres":
        with pg_admin(name) as connection:
            return connection.execute(statement.encode()).fetchall()
    with sqlite3.connect(name) as connection:
        return connection.execute(statement).fetchall()


def tables(name: str) -> set[str]:
    """The table names in the database `name`."""
    if BACKEND == "postgres":
        rows = query(name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        rows = query(name, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(row[0]) for row in rows}


def schema(name: str, prefix: str) -> list[tuple[Any, ...]]:
    """Columns and indexes of the tables whose names start with `prefix`, in a fixed order."""
    like = f"{prefix}%".replace("_", "\\_")
    if BACKEND == "postgres":
        columns = query(
            name,
            "SELECT table_name, column_name, data_type, is_nullable, character_maximum_length,"
            " column_default, is_identity FROM information_schema.columns"
            f" WHERE table_schema = 'public' AND table_name LIKE '{like}'"
            " ORDER BY table_name, column_name",
        )
        indexes = query(
            name,
            "SELECT tablename, indexname, indexdef FROM pg_indexes"
            f" WHERE schemaname = 'public' AND tablename LIKE '{like}' ORDER BY indexname",
        )
        return columns + indexes
    return query(
        name,
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        f" WHERE tbl_name LIKE '{like}' ESCAPE '\\' ORDER BY type, name",
    )
