# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Ending and restoring a termination's ERPNext Subscriptions through ERPNext's own API.

A subscription whose end date has come is cancelled with ``Subscription.cancel_subscription``,
exactly as the Cancel button of the desk does: ERPNext makes the final (prorated, as Subscription
Settings say) invoice, which ``termination_billing`` shows on the form beforehand. ERPNext's
refusal (a final invoice outside every Fiscal Year, say) is told with the subscription and what
to fix. One that ends later is scheduled on the application and the daily job
cancels it on the effective date. Undoing restarts a cancelled subscription with
``restart_subscription`` and cancels the final invoice it made, if still unpaid.

The application is the authority: a user who may submit it may end its subscriptions, so
ERPNext's documents are changed with the system's rights, and a comment on each names the
application and the user.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import ENDED_SUBSCRIPTION
from churn_management.churn_management.doctype.termination_application.termination_billing import final_bill


class UndoRefusedError(frappe.ValidationError):
	pass


class SubscriptionEndError(frappe.ValidationError):
	pass


@contextmanager
def with_system_rights():
	"""Run ERPNext's API as the system, then give the session back to the user."""
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		yield user
	finally:
		frappe.set_user(user)


def end_subscriptions(application) -> None:
	"""End now what ends today or earlier; schedule the rest for the daily job."""
	for row in application.subscriptions:
		if not row.end_subscription:
			continue
		if getdate(application.effective_date) <= getdate(nowdate()):
			_end_now(application, row)
		else:
			row.db_set("end_state", "Scheduled")


def _end_now(application, row) -> None:
	subscription = _as_the_desk_sends_it(row.subscription)
	row.db_set({"former_status": subscription.status, "former_end_date": subscription.end_date})
	if subscription.status in ENDED_SUBSCRIPTION:
		row.db_set({"end_state": "Ended", "ended_on": nowdate()})
		return
	before = set(_invoices_of(row.subscription))
	with with_system_rights() as user:
		subscription.termination_application = application.name
		_cancel_in_erpnext(application, subscription)
		subscription.add_comment(
			"Info", _("Ended by termination application {0} ({1})").format(application.name, user)
		)
	final = [name for name in _invoices_of(row.subscription) if name not in before]
	row.db_set({"end_state": "Ended", "ended_on": nowdate(), "final_invoice": final[0] if final else None})


def _cancel_in_erpnext(application, subscription) -> None:
	"""ERPNext's own cancel; its error reaches the user with the subscription and what to fix."""
	from erpnext.accounts.utils import FiscalYearError

	shown = len(frappe.local.message_log)
	try:
		subscription.cancel_subscription()
	except frappe.ValidationError as error:
		frappe.local.message_log = frappe.local.message_log[:shown]  # ERPNext's bare message, told below
		if isinstance(error, FiscalYearError):
			bill = final_bill(subscription.name, nowdate(), application.company)
			message = _(
				"ERPNext could not end subscription {0}: its final invoice would be posted on {1}, which is in no active Fiscal Year of {2}. Create that Fiscal Year (Accounting > Fiscal Year), then terminate again. Nothing has been changed."
			).format(
				frappe.bold(subscription.name),
				frappe.format(bill.get("posting_date"), "Date"),
				application.company,
			)
		else:
			message = _(
				"ERPNext could not end subscription {0}: {1} Correct this in ERPNext, then terminate again. Nothing has been changed."
			).format(frappe.bold(subscription.name), error)
		frappe.throw(message, SubscriptionEndError, title=_("ERPNext could not end a subscription"))


def due_terminations(as_of) -> list[str]:
	"""Submitted applications with subscriptions scheduled to end by the date."""
	application = frappe.qb.DocType("Termination Application")
	row = frappe.qb.DocType("Termination Subscription")
	rows = (
		frappe.qb.from_(application)
		.join(row)
		.on((row.parent == application.name) & (row.parenttype == "Termination Application"))
		.select(application.name)
		.distinct()
		.where(
			(application.docstatus == 1)
			& (application.effective_date <= getdate(as_of))
			& (row.end_state == "Scheduled")
		)
		.run()
	)
	return [r[0] for r in rows]


def end_scheduled(name: str) -> int:
	"""Cancel in ERPNext the scheduled subscriptions of one application; return how many."""
	application = frappe.get_doc("Termination Application", name)
	ended = 0
	for row in application.subscriptions:
		if row.end_state == "Scheduled":
			_end_now(application, row)
			ended += 1
	return ended


def check_undo_possible(application) -> None:
	"""Refuse to undo when something happened since the termination."""
	terminated_at = frappe.parse_json(application.termination_state or "{}").get("terminated_at")
	finals = [row.final_invoice for row in application.subscriptions if row.final_invoice]
	if terminated_at:
		invoice = frappe.qb.DocType("Sales Invoice")
		query = (
			frappe.qb.from_(invoice)
			.select(invoice.name)
			.where(
				(invoice.customer == application.customer)
				& (invoice.docstatus == 1)
				& (invoice.creation > terminated_at)
			)
		)
		if finals:
			query = query.where(invoice.name.notin(finals))
		newer = query.limit(1).run()
		if newer:
			frappe.throw(
				_("Invoice {0} was made after the termination; the termination cannot be undone.").format(
					frappe.bold(newer[0][0])
				),
				UndoRefusedError,
				title=_("Something happened since"),
			)
	for name in finals:
		invoice = frappe.db.get_value(
			"Sales Invoice", name, ["docstatus", "outstanding_amount", "grand_total"], as_dict=True
		)
		if invoice and invoice.docstatus == 1 and flt(invoice.outstanding_amount) < flt(invoice.grand_total):
			frappe.throw(
				_("The final invoice {0} has been paid; the termination cannot be undone.").format(
					frappe.bold(name)
				),
				UndoRefusedError,
				title=_("Something happened since"),
			)


def restore_subscriptions(application) -> None:
	"""Give every subscription the termination ended back its running state, through ERPNext."""
	for row in application.subscriptions:
		if row.end_state == "Scheduled":
			row.db_set("end_state", "Restored")
		elif row.end_state == "Ended":
			_restore(application, row)


def _restore(application, row) -> None:
	with with_system_rights() as user:
		if row.final_invoice and frappe.db.get_value("Sales Invoice", row.final_invoice, "docstatus") == 1:
			frappe.get_doc("Sales Invoice", row.final_invoice).cancel()
		subscription = _as_the_desk_sends_it(row.subscription)
		if subscription.status == "Cancelled" and row.former_status not in ENDED_SUBSCRIPTION:
			subscription.termination_application = None
			subscription.restart_subscription()
			subscription.add_comment(
				"Info",
				_("Restarted: termination application {0} was cancelled ({1})").format(
					application.name, user
				),
			)
	row.db_set("end_state", "Restored")


def _invoices_of(subscription: str) -> list[str]:
	return frappe.get_all("Sales Invoice", filters={"subscription": subscription}, pluck="name")


def _as_the_desk_sends_it(name: str):
	"""The subscription as the desk's buttons hand it to ERPNext: values serialised as in a request.

	ERPNext's cancel_subscription compares today's date string with the period start, which works
	on the document the desk sends and fails on one loaded with date objects.
	"""
	return frappe.get_doc(frappe.parse_json(frappe.as_json(frappe.get_doc("Subscription", name).as_dict())))
