"""What the bench benchmarks share: their command line, connecting to the site, the company and
defaults their data goes to, timing a call, and deleting what a run inserted (the rows whose name or
customer starts with the benchmark's prefix).

The benchmarks run as scripts from the bench's sites folder, so they import this module as ``_common``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np


def site_arguments(description: str | None = None, customers: bool = True) -> argparse.ArgumentParser:
	"""A parser with --site and, for the customer benchmarks, --customers and --invoices-each."""
	parser = argparse.ArgumentParser(description=description.splitlines()[0] if description else None)
	parser.add_argument("--site", required=True)
	if customers:
		parser.add_argument("--customers", type=int, default=100_000)
		parser.add_argument("--invoices-each", type=int, default=12)
	return parser


def connect(site: str) -> None:
	"""Connect to the site as the Administrator."""
	import frappe

	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")


@contextmanager
def on_site(site: str, *clean: Callable[[], None], keep: bool = False, clean_first: bool = True) -> Iterator:
	"""Connected to the site, between the clean-ups of what the benchmark inserts: before the run (unless
	clean_first is off, for a run that reuses kept data) and after it (unless keep)."""
	import frappe

	connect(site)
	try:
		for step in clean if clean_first else ():
			step()
		yield
	finally:
		for step in () if keep else clean:
			step()
		frappe.destroy()


def default_company() -> str:
	"""The company the app's settings name, else the site's first."""
	import frappe

	return frappe.db.get_single_value("Churn Settings", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)


def customer_defaults() -> tuple[str, str, str, str]:
	"""The company, its currency, and a leaf territory and customer group for synthetic customers."""
	import frappe

	company = default_company()
	currency = frappe.get_cached_value("Company", company, "default_currency")
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	return company, currency, territory, group


def insert_customers(prefix: str, count: int, **values) -> list[str]:
	"""`count` synthetic customers named after the prefix, each with the given field values; their names."""
	import frappe
	from frappe.utils import now_datetime

	now = now_datetime()
	names = [f"{prefix}{i:07d}" for i in range(count)]
	frappe.db.bulk_insert(
		"Customer",
		["name", "customer_name", "customer_type", *values, "creation", "modified", "owner", "modified_by"],
		[(n, n, "Individual", *values.values(), now, now, "Administrator", "Administrator") for n in names],
		chunk_size=10_000,
	)
	return names


def owing_months(rng: np.random.Generator, customers: int) -> np.ndarray:
	"""How many of their latest monthly invoices each customer left unpaid: about 3 % owe for the last
	month or two, 2 % stopped paying four to seven months ago."""
	kind = rng.random(customers)
	return np.where(
		kind < 0.02, rng.integers(4, 8, customers), np.where(kind < 0.05, rng.integers(1, 3, customers), 0)
	)


def invoice_row(number: str, customer: str, company: str, due, unpaid: bool, now, *currency: str) -> tuple:
	"""A submitted Sales Invoice of 990 due (and posted) on the day, all outstanding when unpaid: name,
	customer, company, posting and due date, docstatus, outstanding, is_return, grand totals, [currency,]
	creation, modified."""
	outstanding = 990.0 if unpaid else 0.0
	return (number, customer, company, due, due, 1, outstanding, 0, 990.0, 990.0, *currency, now, now)


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
	"""The seconds the call took, and what it returned."""
	started = time.perf_counter()
	result = fn(*args, **kwargs)
	return time.perf_counter() - started, result


def delete_with_prefix(prefix: str, tables: Iterable[tuple[str, str]]) -> None:
	"""Delete the rows of each (DocType, field) whose field starts with the prefix, then commit."""
	import frappe

	for doctype, field in tables:
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like(f"{prefix}%")).run()
	frappe.db.commit()
