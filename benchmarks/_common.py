"""What the bench benchmarks share: their command line, connecting to the site, the company and
defaults their data goes to, timing a call, and deleting what a run inserted (the rows whose name or
customer starts with the benchmark's prefix).

The benchmarks run as scripts from the bench's sites folder, so they import this module as ``_common``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable


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


def timed(fn: Callable, *args, **kwargs) -> tuple[float, object]:
	"""The seconds the call took, and what it returned."""
	started = time.perf_counter()
	result = fn(*args, **kwargs)
	return time.perf_counter() - started, result


def delete_with_prefix(prefix: str, tables: Iterable[tuple[str, str]]) -> None:
	"""Delete the rows of each (DocType, field) whose field starts with the prefix (the caller commits)."""
	import frappe

	for doctype, field in tables:
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like(f"{prefix}%")).run()
