# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Multi-row inserts for the app's own high-volume tables (club visits, lifecycle transitions).

``frappe.db.bulk_insert`` builds every value as a query-builder term, which costs more than the
database's own work for a million rows. Here each chunk is one parameterised
``INSERT [IGNORE] ... VALUES (%s, ...), (%s, ...)`` statement: the driver escapes the values, and
the table and column names are the caller's constants. Lookups by thousands of keys pass the keys
as one parameter, for the same reason.
"""

from collections.abc import Iterable, Iterator, Sequence
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
	"""The rows whose ``field`` is one of ``wanted``."""
	columns = ", ".join(f"`{name}`" for name in fields)
	return list(_rows_where_in(columns, doctype, field, wanted, chunk_size))


def count_where_in(doctype: str, field: str, wanted: Sequence, *, chunk_size: int = 10_000) -> int:
	"""How many rows have ``field`` among ``wanted``."""
	return sum(row[0] for row in _rows_where_in("COUNT(*)", doctype, field, wanted, chunk_size))


def _rows_where_in(
	select: str, doctype: str, field: str, wanted: Sequence, chunk_size: int
) -> Iterator[tuple]:
	for start in range(0, len(wanted), chunk_size):
		chunk = tuple(wanted[start : start + chunk_size])
		yield from frappe.db.sql(
			f"SELECT {select} FROM `tab{doctype}` WHERE `{field}` IN %(wanted)s",  # nosemgrep
			{"wanted": chunk},
		)
