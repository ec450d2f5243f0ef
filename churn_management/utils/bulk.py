# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Multi-row inserts for the app's own high-volume tables (club visits, lifecycle transitions).

``frappe.db.bulk_insert`` builds every value as a query-builder term, which costs more than the
database's own work for a million rows. Here each chunk is one parameterised
``INSERT [IGNORE] ... VALUES (%s, ...), (%s, ...)`` statement: the driver escapes the values, the
table and column names are the caller's constants, and the number of rows written is returned.
"""

from collections.abc import Iterable, Sequence
from itertools import islice

import frappe


def insert_rows(
	doctype: str,
	fields: Sequence[str],
	rows: Iterable[Sequence],
	*,
	ignore_duplicates: bool = False,
	chunk_size: int = 5_000,
) -> None:
	"""Insert the rows into the DocType's table, ``chunk_size`` rows per statement."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
	verb = "INSERT IGNORE" if ignore_duplicates else "INSERT"
	iterator = iter(rows)
	while chunk := list(islice(iterator, chunk_size)):
		values = [value for row in chunk for value in row]
		marks = ", ".join([row_marks] * len(chunk))
		frappe.db.sql(f"{verb} INTO `tab{doctype}` ({columns}) VALUES {marks}", values)  # nosemgrep


def select_where_in(
	doctype: str, fields: Sequence[str], field: str, wanted: Sequence, *, chunk_size: int = 10_000
) -> list[tuple]:
	"""The rows whose ``field`` is one of ``wanted`` (thousands of keys, passed as one parameter)."""
	columns = ", ".join(f"`{name}`" for name in fields)
	rows: list[tuple] = []
	for start in range(0, len(wanted), chunk_size):
		chunk = tuple(wanted[start : start + chunk_size])
		rows += frappe.db.sql(
			f"SELECT {columns} FROM `tab{doctype}` WHERE `{field}` IN %(wanted)s",  # nosemgrep
			{"wanted": chunk},
		)
	return rows


def count_where_in(doctype: str, field: str, wanted: Sequence, *, chunk_size: int = 10_000) -> int:
	"""How many rows have ``field`` among ``wanted``."""
	found = 0
	for start in range(0, len(wanted), chunk_size):
		chunk = tuple(wanted[start : start + chunk_size])
		found += frappe.db.sql(
			f"SELECT COUNT(*) FROM `tab{doctype}` WHERE `{field}` IN %(wanted)s",  # nosemgrep
			{"wanted": chunk},
		)[0][0]
	return found
