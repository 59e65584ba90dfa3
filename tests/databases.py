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
