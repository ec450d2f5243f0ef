"""Time the club visit batch API and the nightly lifecycle segmentation on a bench.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/lifecycle_benchmark.py \\
        --site churn.localhost --members 100000 --visits 1000000

It bulk-inserts synthetic members (Customers named CLUB-BENCH-...) and their cards, loads the
visits through the batch API's loader in batches of 50,000 (a second pass of the first batch
must load nothing), runs the nightly segmentation twice (the second run must change nothing),
prints the figures, and deletes what it inserted.
"""

from __future__ import annotations

import time

import numpy as np
from _common import delete_with_prefix, insert_customers, on_site, site_arguments, timed

PREFIX = "CLUB-BENCH-"
BATCH = 50_000


def insert_members(members: int, seed: int = 7) -> list[str]:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	if not frappe.db.exists("Branch", f"{PREFIX}Club"):
		frappe.get_doc({"doctype": "Branch", "branch": f"{PREFIX}Club"}).insert(ignore_permissions=True)
	item = frappe.db.get_value("Item", {}, "name")
	names = insert_customers(PREFIX, members, territory=territory)
	start = rng.integers(-330, -1, members)
	frappe.db.bulk_insert(
		"Club Membership",
		[
			"name",
			"naming_series",
			"member",
			"member_name",
			"club",
			"card_type",
			"start_date",
			"end_date",
			"status",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(
				f"{n}-CM",
				"CM-.YYYY.-",
				n,
				n,
				f"{PREFIX}Club",
				item,
				add_days(nowdate(), int(s)),
				add_days(nowdate(), int(s) + 364),
				"Active",
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for n, s in zip(names, start, strict=True)
		],
		chunk_size=10_000,
	)
	frappe.db.commit()
	return names, start


def visit_batches(names, start, visits: int, seed: int = 8):
	from frappe.utils import add_days, nowdate

	rng = np.random.default_rng(seed)
	owner = rng.integers(0, len(names), visits)
	ago = (rng.random(visits) * -start[owner]).astype(int)  # between the card's start and yesterday
	today = np.datetime64(nowdate())
	days = today - np.maximum(ago, 1).astype("timedelta64[D]")
	hours = rng.integers(7, 22, visits)
	for first in range(0, visits, BATCH):
		rows = [
			{
				"external_id": f"{PREFIX}V{i}",
				"member": names[owner[i]],
				"club": f"{PREFIX}Club",
				"checkin": f"{days[i]} {hours[i]:02d}:15:00",
			}
			for i in range(first, min(first + BATCH, visits))
		]
		yield rows
	del add_days


def insert_directly(names, start, visits: int) -> None:
	"""More visits for the segmentation to read, written straight into the table (not timed as API)."""
	import frappe
	from frappe.utils import now_datetime

	from churn_management.clubs.api.club_visits import ordered_names
	from churn_management.utils.bulk import insert_rows

	now = now_datetime()
	memberships = {n: f"{n}-CM" for n in names}
	for number, rows in enumerate(visit_batches(names, start, visits, seed=9)):
		keys = ordered_names(len(rows))
		insert_rows(
			"Club Visit",
			["name", "member", "membership", "club", "checkin", "external_id", "creation", "modified"],
			(
				(
					key,
					r["member"],
					memberships[r["member"]],
					r["club"],
					r["checkin"],
					f"X{number}-{i}",
					now,
					now,
				)
				for i, (key, r) in enumerate(zip(keys, rows, strict=True))
			),
		)
		frappe.db.commit()


def cleanup() -> None:
	import frappe

	delete_with_prefix(
		PREFIX,
		(
			("Club Visit", "member"),
			("Lifecycle Transition", "member"),
			("Churn Record", "customer"),
			("Club Membership", "member"),
			("Customer", "name"),
		),
	)
	frappe.db.delete("Branch", {"name": f"{PREFIX}Club"})
	frappe.db.commit()


def main() -> None:
	parser = site_arguments(customers=False)
	parser.add_argument("--members", type=int, default=100_000)
	parser.add_argument("--visits", type=int, default=1_000_000, help="visits loaded through the batch API")
	parser.add_argument(
		"--total-visits",
		type=int,
		default=0,
		help="visits the nightly segmentation sees: those beyond --visits are inserted directly (default: --visits)",
	)
	args = parser.parse_args()

	import frappe

	with on_site(args.site, cleanup):
		from churn_management.clubs.api.club_visits import load_visit_batch
		from churn_management.clubs.jobs.lifecycle_segmentation import segment_clubs

		seconds, (names, start) = timed(insert_members, args.members)
		print(f"inserted {args.members:,} members and cards in {seconds:.1f} s")
		started = time.perf_counter()
		loaded = 0
		first_batch = None
		for rows in visit_batches(names, start, args.visits):
			first_batch = first_batch or rows
			loaded += load_visit_batch(rows, "benchmark")["inserted"]
			frappe.db.commit()
		took = time.perf_counter() - started
		print(f"batch API: {loaded:,} visits in {took:.1f} s ({loaded / took:,.0f} a second)")
		again = load_visit_batch(first_batch, "benchmark")
		print(f"the first batch sent again: {again['inserted']} loaded, {again['already_loaded']:,} skipped")
		extra = max(args.total_visits - args.visits, 0)
		if extra:
			seconds, _ = timed(insert_directly, names, start, extra)
			print(f"{extra:,} more visits inserted directly in {seconds:.1f} s")
		for run in (1, 2):
			seconds, summary = timed(segment_clubs)
			print(f"segmentation run {run}: {seconds:.1f} s, {summary}")


if __name__ == "__main__":
	main()
