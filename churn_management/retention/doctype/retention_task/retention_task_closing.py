# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Tasks whose call has lost its point close by themselves, each with the reason in its timeline.

* The customer came back (paid the debt, was won back, bought again): nobody calls them to win them
  back or to ask why they left.
* The termination that caused a task is undone (the application cancelled, or the customer retained
  before the effective date): the task is cancelled with a note, and a task that linked the churn
  record the termination made lets go of it, so the undo can remove it.
"""

import frappe
from frappe import _

OPEN_STATUSES = ("Waiting", "Open", "In Progress")
CALLS_AFTER_CHURN = ("Win-back", "Reason call")


def close_tasks_of_returned_customer(record) -> int:
	"""Close the customer's open win-back and reason calls once their churn record is closed."""
	task = frappe.qb.DocType("Retention Task")
	names = (
		frappe.qb.from_(task)
		.select(task.name)
		.where(
			(task.customer == record.customer)
			& task.status.isin(OPEN_STATUSES)
			& task.task_type.isin(CALLS_AFTER_CHURN)
			& ((task.company == record.company) | task.company.isnull())
		)
		.run(pluck=True)
	)
	note = _("Closed without a call: the customer came back on {0} ({1}, churn record {2}).").format(
		frappe.format(record.won_back_date, "Date"), _(record.status), record.name
	)
	for name in names:
		close_task(name, note)
	return len(names)


def cancel_tasks_of_termination(application: str, record: str | None) -> int:
	"""Cancel the open tasks an undone termination caused; unlink its churn record from any task."""
	task = frappe.qb.DocType("Retention Task")
	caused = task.termination_application == application
	if record:
		caused |= task.churn_record == record
	rows = frappe.qb.from_(task).select(task.name, task.status).where(caused).run(as_dict=True)
	if record:
		cancelled = _("Cancelled: termination application {0} was undone and its churn record {1} removed.")
		unlinked = _("Churn record {1} was removed: termination application {0} was undone.")
	else:
		cancelled = _("Cancelled: termination application {0} was undone.")
		unlinked = None
	for row in rows:
		still_open = row.status in OPEN_STATUSES
		if not still_open and not unlinked:
			continue
		note = (cancelled if still_open else unlinked).format(application, record)
		close_task(row.name, note, unlink_record=record, close=still_open)
	return sum(1 for row in rows if row.status in OPEN_STATUSES)


def close_task(name: str, note: str, unlink_record: str | None = None, close: bool = True) -> None:
	"""Close one task as Not applicable (no attempt needed) and say why in its timeline."""
	doc = frappe.get_doc("Retention Task", name)
	if unlink_record and doc.churn_record == unlink_record:
		doc.churn_record = None
	if close:
		doc.outcome = "Not applicable"
		doc.flags.closed_by_system = True
	doc.flags.ignore_permissions = True
	doc.save()
	doc.add_comment("Info", note)
