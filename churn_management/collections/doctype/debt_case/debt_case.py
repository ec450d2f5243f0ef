# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""One debtor's case in one company: the debt from ERPNext, its stage, promises, plan, block and decision.

The amounts, invoices and stage are written by the daily debt job (jobs/debt_cases.py) from ERPNext's
ledger; people add promises, a payment plan, contacts, and take the block / unblock and write-off
actions, each logged with who, when and why. A broken promise or a missed instalment escalates the
case to the next stage at once.
"""

from collections.abc import Callable

import pandas as pd

import frappe
from frappe import _
from frappe.desk.form.assign_to import close_all_assignments
from frappe.model.document import Document
from frappe.utils import flt, getdate, now_datetime, nowdate

from churn_management.analytics.debt.collection import missed_instalments, plan_problems

APPROVER_ROLES = ("Accounts Manager", "Retention Head", "System Manager")
WRITE_OFF_PENDING = "Write-off pending"
# cases the debt job keeps up to date; a write-off pending is no longer worked, only waited on
LIVE_STATUSES = ("Open", WRITE_OFF_PENDING)


class DuplicateDebtCaseError(frappe.ValidationError):
	pass


class PromiseError(frappe.ValidationError):
	pass


class PaymentPlanError(frappe.ValidationError):
	pass


class BlockReasonError(frappe.ValidationError):
	pass


class UnblockNotAllowedError(frappe.ValidationError):
	pass


class WriteOffNotApprovedError(frappe.ValidationError):
	pass


class AuditTrailError(frappe.ValidationError):
	pass


class DebtCase(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.collections.doctype.debt_case_action.debt_case_action import (
			DebtCaseAction,
		)
		from churn_management.collections.doctype.debt_case_invoice.debt_case_invoice import (
			DebtCaseInvoice,
		)
		from churn_management.collections.doctype.debt_instalment.debt_instalment import DebtInstalment
		from churn_management.collections.doctype.debt_promise.debt_promise import DebtPromise

		acted_stage: DF.Link | None
		actions: DF.Table[DebtCaseAction]
		agency: DF.Data | None
		block_reason: DF.SmallText | None
		blocked_by: DF.Link | None
		blocked_on: DF.Date | None
		closed_on: DF.Date | None
		collector: DF.Link | None
		company: DF.Link
		contact_email: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		days_overdue: DF.Int
		decision: DF.Literal["", "Collected", "Payment Plan", "Handed to Agency", "Written Off"]
		expected_recovery: DF.Currency
		instalments: DF.Table[DebtInstalment]
		invoices: DF.Table[DebtCaseInvoice]
		journal_entry: DF.Link | None
		net_recovery: DF.Currency
		oldest_due_date: DF.Date | None
		opened_on: DF.Date | None
		outstanding: DF.Currency
		plan_paid_before: DF.Currency
		plan_start: DF.Date | None
		promises: DF.Table[DebtPromise]
		learnt_from: DF.Int
		recommendation: DF.Data | None
		recovery_probability: DF.Percent
		refreshed_on: DF.Date | None
		remaining_cost: DF.Currency
		score_basis: DF.Literal["", "Payment history", "Default curve"]
		service_blocked: DF.Check
		stage: DF.Link | None
		stage_since: DF.Date | None
		status: DF.Literal["Open", "Write-off pending", "Closed"]
		write_off_approved_by: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_log_untouched()
		self.validate_one_open_case()
		self.validate_new_promises()
		self.validate_payment_plan()

	def validate_one_open_case(self):
		if self.status not in LIVE_STATUSES:
			return
		other = frappe.db.exists(
			"Debt Case",
			{
				"customer": self.customer,
				"company": self.company,
				"status": ("in", LIVE_STATUSES),
				"name": ("!=", self.name),
			},
		)
		if other:
			frappe.throw(
				_("{0} already has an open debt case in {1}: {2}").format(
					frappe.bold(self.customer), self.company, other
				),
				DuplicateDebtCaseError,
				title=_("Open debt case exists"),
			)

	def validate_log_untouched(self):
		"""The log is an audit trail: rows are only ever added."""
		before = self.get_doc_before_save()
		if not before:
			return
		kept = {row.name: (row.action, row.note, row.user) for row in self.actions}
		for row in before.actions:
			if kept.get(row.name) != (row.action, row.note, row.user):
				frappe.throw(
					_("The log of a debt case cannot be changed or shortened."),
					AuditTrailError,
					title=_("Log"),
				)

	def validate_new_promises(self):
		"""A new promise is dated today or later and covers at most what is owed."""
		for promise in self.promises:
			if promise.made_on:
				continue
			if getdate(promise.promise_date) < getdate(nowdate()):
				frappe.throw(
					_("Row {0}: a promise to pay cannot be dated in the past ({1}).").format(
						promise.idx, frappe.format(promise.promise_date, "Date")
					),
					PromiseError,
					title=_("Promise to pay"),
				)
			if flt(promise.amount) <= 0 or flt(promise.amount) > flt(self.outstanding) + 0.005:
				frappe.throw(
					_("Row {0}: the promised amount must be above zero and at most the debt of {1}.").format(
						promise.idx, frappe.format(self.outstanding, "Currency")
					),
					PromiseError,
					title=_("Promise to pay"),
				)
			promise.made_on = nowdate()
			promise.outstanding_when_made = self.outstanding
			promise.status = "Pending"
			self.log(
				"Promise",
				_("Promised {0} by {1}").format(
					frappe.format(promise.amount, "Currency"), frappe.format(promise.promise_date, "Date")
				),
			)

	def validate_payment_plan(self):
		"""A new or changed plan must sum exactly to the debt, dated from today."""
		if not self.instalments or not self.plan_changed():
			return
		plan = pd.DataFrame(
			{
				"due_date": [getdate(row.due_date) for row in self.instalments],
				"amount": [flt(row.amount) for row in self.instalments],
			}
		)
		if plan_problems(plan, flt(self.outstanding), getdate(nowdate())):
			frappe.throw(
				_(
					"The instalments of a payment plan must be positive, dated from today on, and sum to the debt of {0} (they sum to {1})."
				).format(
					frappe.format(self.outstanding, "Currency"),
					frappe.format(plan["amount"].sum(), "Currency"),
				),
				PaymentPlanError,
				title=_("Payment plan"),
			)
		self.plan_start = nowdate()
		self.plan_paid_before = self.outstanding
		self.decision = "Payment Plan"
		for row in self.instalments:
			row.status = "Pending"
		self.log("Payment Plan", _("{0} instalments").format(len(self.instalments)))

	def plan_changed(self) -> bool:
		before = self.get_doc_before_save()
		old = [(str(r.due_date), flt(r.amount)) for r in before.instalments] if before else []
		new = [(str(getdate(r.due_date)), flt(r.amount)) for r in self.instalments]
		return old != new or not self.plan_start

	# ------------------------------------------------------------------ log

	def log(self, action: str, note: str = "", reference_doctype=None, reference_name=None, stage=None):
		self.append(
			"actions",
			{
				"on": now_datetime(),
				"action": action,
				"stage": stage or self.stage,
				"user": frappe.session.user,
				"note": note,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
			},
		)

	def has_logged(self, action: str, stage: str | None) -> bool:
		return any(row.action == action and row.stage == stage for row in self.actions)

	# ------------------------------------------------------------------ people's actions

	@frappe.whitelist()
	def log_contact(self, note: str) -> None:
		"""A call or other contact with the debtor, as told by the collector."""
		self.check_permission("write")
		if not (note or "").strip():
			frappe.throw(_("Say what was agreed in the contact."))
		self.log("Contact", note)
		self.save()

	@frappe.whitelist()
	def block_service(self, reason: str) -> None:
		self.check_permission("write")
		self.apply_block(reason)
		self.save()

	def apply_block(self, reason: str, stage: str | None = None) -> None:
		"""Mark the customer blocked and, when set up, cancel their Subscriptions through ERPNext."""
		if not (reason or "").strip():
			frappe.throw(_("Give the reason for blocking the service."), BlockReasonError, title=_("Block"))
		if self.service_blocked:
			return
		self.service_blocked = 1
		self.block_reason = reason
		self.blocked_by = frappe.session.user
		self.blocked_on = nowdate()
		cancelled = self.set_customer_blocked(1, self.active_subscriptions, "cancel_subscription")
		self.log("Service Block", reason + (f" ({', '.join(cancelled)})" if cancelled else ""), stage=stage)

	@frappe.whitelist()
	def unblock_service(self, reason: str, override: int = 0) -> None:
		self.check_permission("write")
		self.apply_unblock(reason, override=bool(int(override or 0)))
		self.save()

	def apply_unblock(self, reason: str, override: bool = False) -> None:
		"""Unblock; while the debt is still past the block stage only an approver may override."""
		if not (reason or "").strip():
			frappe.throw(
				_("Give the reason for unblocking the service."), BlockReasonError, title=_("Unblock")
			)
		if not self.service_blocked:
			return
		if self.still_past_block_stage():
			if not override or not set(APPROVER_ROLES) & set(frappe.get_roles()):
				frappe.throw(
					_(
						"{0} still owes {1} past the block stage: only a Retention Head or an Accounts Manager can unblock, with an override."
					).format(frappe.bold(self.customer), frappe.format(self.outstanding, "Currency")),
					UnblockNotAllowedError,
					title=_("Unblock"),
				)
		self.service_blocked = 0
		restarted = self.set_customer_blocked(
			0, self.subscriptions_cancelled_on_block, "restart_subscription"
		)
		note = reason + (_(" (override)") if override and self.still_past_block_stage() else "")
		self.log("Service Unblock", note + (f" ({', '.join(restarted)})" if restarted else ""))

	def set_customer_blocked(
		self, blocked: int, subscriptions: Callable[[], list[str]], action: str
	) -> list[str]:
		"""Mark the customer (un)blocked and, when the settings say so, apply ERPNext's `action` to the
		subscriptions; return the ones it was applied to."""
		frappe.db.set_value("Customer", self.customer, "service_blocked", blocked)
		if not frappe.db.get_single_value("Debt Collection Settings", "block_subscriptions"):
			return []
		done = []
		for name in subscriptions():
			subscription = frappe.get_doc("Subscription", name)
			subscription.flags.ignore_permissions = True
			getattr(subscription, action)()
			done.append(name)
		return done

	def still_past_block_stage(self) -> bool:
		if self.status != "Open" or flt(self.outstanding) <= 0.005:
			return False
		block_from = frappe.get_all(
			"Debt Stage", filters={"block_service": 1}, pluck="from_day", order_by="from_day asc", limit=1
		)
		return bool(block_from) and int(self.days_overdue or 0) >= int(block_from[0])

	def active_subscriptions(self) -> list[str]:
		return frappe.get_all(
			"Subscription",
			filters={
				"party_type": "Customer",
				"party": self.customer,
				"company": self.company,
				"status": ("not in", ("Cancelled", "Completed")),
			},
			pluck="name",
		)

	def subscriptions_cancelled_on_block(self) -> list[str]:
		if not self.blocked_on:
			return []
		return frappe.get_all(
			"Subscription",
			filters={
				"party_type": "Customer",
				"party": self.customer,
				"company": self.company,
				"status": "Cancelled",
				"cancelation_date": (">=", self.blocked_on),
			},
			pluck="name",
		)

	@frappe.whitelist()
	def hand_over(self, agency: str) -> None:
		"""The decision to hand the debt to a collection agency."""
		self.check_permission("write")
		if not (agency or "").strip():
			frappe.throw(_("Name the agency the debt is handed to."))
		self.decision = "Handed to Agency"
		self.agency = agency
		self.log("Decision", _("Handed to {0}").format(agency))
		self.save()

	@frappe.whitelist()
	def write_off(self, note: str = "") -> str:
		"""Write the debt off through a draft Journal Entry against its invoices; only an approver may.
		Until the accountant submits the entry the case is no longer worked: Write-off pending."""
		self.check_permission("write")
		if not set(APPROVER_ROLES) & set(frappe.get_roles()):
			frappe.throw(
				_("Only an Accounts Manager or a Retention Head can approve a write-off."),
				WriteOffNotApprovedError,
				title=_("Write off"),
			)
		if self.journal_entry and frappe.db.get_value("Journal Entry", self.journal_entry, "docstatus") != 2:
			frappe.throw(_("This debt already has a write-off entry: {0}").format(self.journal_entry))
		if flt(self.outstanding) <= 0:
			frappe.throw(_("There is nothing to write off."))
		entry = make_write_off_entry(self.customer, self.company, flt(self.outstanding), self.name)
		self.journal_entry = entry
		self.decision = "Written Off"
		self.status = WRITE_OFF_PENDING
		self.write_off_approved_by = frappe.session.user
		self.log("Write Off", note, "Journal Entry", entry)
		self.save()
		close_all_assignments(self.doctype, self.name, ignore_permissions=True)
		return entry

	# ------------------------------------------------------------------ escalation (used by the job)

	def check_promises(self, as_of=None) -> bool:
		"""Settle pending promises; return True when one was broken."""
		from churn_management.analytics.debt.collection import BROKEN, KEPT, promise_status

		broken = False
		for promise in self.promises:
			if promise.status != "Pending" or not promise.made_on:
				continue
			paid = flt(promise.outstanding_when_made) - flt(self.outstanding)
			status = promise_status(
				flt(promise.amount), paid, promise.promise_date, getdate(as_of or nowdate())
			)
			if status == KEPT:
				promise.status = KEPT
			elif status == BROKEN:
				promise.status = BROKEN
				broken = True
				self.log(
					"Promise Broken",
					_("{0} promised by {1}").format(
						frappe.format(promise.amount, "Currency"), frappe.format(promise.promise_date, "Date")
					),
				)
		return broken

	def check_instalments(self, as_of=None) -> bool:
		"""Mark instalments paid or missed; return True when one was newly missed."""
		if not self.instalments or not self.plan_start:
			return False
		paid = flt(self.plan_paid_before) - flt(self.outstanding)
		plan = pd.DataFrame(
			{
				"due_date": [getdate(row.due_date) for row in self.instalments],
				"amount": [flt(row.amount) for row in self.instalments],
			}
		)
		missed = missed_instalments(plan, paid, getdate(as_of or nowdate())).tolist()
		covered = plan["amount"].cumsum() <= paid + 0.005
		newly_missed = False
		for row, is_missed, is_covered in zip(self.instalments, missed, covered.tolist(), strict=True):
			if is_covered:
				row.status = "Paid"
			elif is_missed and row.status != "Missed":
				row.status = "Missed"
				newly_missed = True
				self.log(
					"Instalment Missed",
					_("{0} due {1}").format(
						frappe.format(row.amount, "Currency"), frappe.format(row.due_date, "Date")
					),
				)
		return newly_missed


def make_write_off_entry(customer: str, company: str, amount: float, case: str) -> str:
	"""A draft Journal Entry: debit the write-off account, credit the customer's receivable against
	each invoice written off (what the case still owes on it), so that once submitted they are paid."""
	from erpnext.accounts.party import get_party_account

	from churn_management.collections.doctype.debt_case.debt_case_invoices import read_invoices

	write_off_account = frappe.db.get_single_value(
		"Debt Collection Settings", "write_off_account"
	) or frappe.get_cached_value("Company", company, "write_off_account")
	if not write_off_account:
		frappe.throw(
			_("Set a write-off account in Debt Collection Settings or on the company {0}.").format(company)
		)
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	party = {"party_type": "Customer", "party": customer, "cost_center": cost_center}
	invoices = read_invoices(customer, company, amount, getdate(nowdate()))
	accounts = {
		row.name: row.debit_to
		for row in frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", [row["sales_invoice"] for row in invoices])},
			fields=["name", "debit_to"],
		)
	}
	credits = [
		{
			**party,
			"account": accounts[row["sales_invoice"]],
			"credit_in_account_currency": row["outstanding_amount"],
			"reference_type": "Sales Invoice",
			"reference_name": row["sales_invoice"],
		}
		for row in invoices
	]
	rest = flt(amount - sum(row["outstanding_amount"] for row in invoices), 2)
	if rest > 0:  # owed beyond the invoices (an opening balance, a journal entry)
		credits.append(
			{
				**party,
				"account": get_party_account("Customer", customer, company),
				"credit_in_account_currency": rest,
			}
		)
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Write Off Entry",
			"company": company,
			"posting_date": nowdate(),
			"user_remark": _("Debt written off: {0}").format(case),
			"accounts": [
				{
					"account": write_off_account,
					"debit_in_account_currency": amount,
					"cost_center": cost_center,
				},
				*credits,
			],
		}
	)
	entry.flags.ignore_permissions = True
	entry.insert()
	return entry.name
