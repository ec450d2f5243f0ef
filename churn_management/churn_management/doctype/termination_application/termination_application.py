# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer's application to end the contract, and the retention attempt around it (DOMAIN.md §4).

The desk writes down the customer's own words, finds the true reason in conversation and
classifies it with a leaf of the classifier, tries a retention method, and records the outcome.

* Terminated: the subscriptions chosen on the application (default: every running one) end
  through ERPNext's Subscription API on the effective date. Ending the last one is churn: a
  record enters the register (or, for a customer already churned by non-payment, the open record
  is taken over: its reason becomes the true one and voluntary/involuntary is stated). A customer
  already terminated is refused a second termination, naming the first application. The form
  shows beforehand what ERPNext will bill on ending each subscription; when ERPNext refuses one,
  nothing of the termination is kept.
* Partially Terminated: some subscriptions go on; the lost monthly revenue is kept here and the
  customer is not churned.
* Retained: the method and offer that kept the customer stay on the application. A customer who
  gave notice for a date still ahead can be retained until that date.
* Withdrawn: the customer changed their mind by themselves.

Cancelling undoes exactly what the application did (kept in ``termination_state`` and on each
subscription row) and refuses when something happened since.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, now_datetime, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import (
	validate_leaf_reason,
	validate_reason_fits,
)
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	CUSTOMER_TYPES,
	active_subscriptions,
	customer_profile,
	set_customer_churn_status,
)
from churn_management.churn_management.doctype.termination_application.termination_billing import final_bill
from churn_management.churn_management.doctype.termination_application.termination_subscriptions import (
	UndoRefusedError,
	check_undo_possible,
	end_subscriptions,
	restore_subscriptions,
)
from churn_management.retention.doctype.retention_task.retention_task_closing import (
	cancel_tasks_of_termination,
)

TERMINATING = ("Terminated", "Partially Terminated")
TERMINATION_SAVEPOINT = "termination_application_submit"

RECORD_FIELDS_TAKEN_OVER = (
	"churn_kind",
	"churn_reason",
	"customer_words",
	"competitor",
	"source_doctype",
	"source_name",
	"handled_by",
	"channel",
	"offered_method",
	"offer_result",
)


class EffectiveDateError(frappe.ValidationError):
	pass


class CompetitorRequiredError(frappe.ValidationError):
	pass


class ReasonRequiredError(frappe.ValidationError):
	pass


class OutcomeError(frappe.ValidationError):
	pass


class SubscriptionMismatchError(frappe.ValidationError):
	pass


class AlreadyTerminatedError(frappe.ValidationError):
	pass


class TerminationApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.churn_management.doctype.termination_equipment.termination_equipment import (
			TerminationEquipment,
		)
		from churn_management.churn_management.doctype.termination_subscription.termination_subscription import (
			TerminationSubscription,
		)

		amended_from: DF.Link | None
		application_date: DF.Date
		channel: DF.Literal["Office", "Phone", "E-mail", "Written", "Website"]
		churn_kind: DF.Literal["Voluntary", "Involuntary"]
		churn_reason: DF.Link | None
		churn_record: DF.Link | None
		company: DF.Link
		competitor: DF.Link | None
		currency: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_type: DF.Literal["", "B2B", "B2C"]
		customer_words: DF.SmallText
		effective_date: DF.Date
		equipment: DF.Table[TerminationEquipment]
		former_churn_status: DF.Data | None
		handled_by: DF.Link | None
		inside_coverage: DF.Literal["", "Yes", "No"]
		lost_mrr: DF.Currency
		managed: DF.Check
		naming_series: DF.Literal["TA-.YYYY.-"]
		new_address: DF.SmallText | None
		offer_made: DF.SmallText | None
		outcome: DF.Literal["", "Retained", "Terminated", "Partially Terminated", "Withdrawn"]
		outstanding_balance: DF.Currency
		reason_group: DF.Link | None
		requires_competitor: DF.Check
		retention_method: DF.Link | None
		speech_module: DF.Link | None
		subscriptions: DF.Table[TerminationSubscription]
		termination_state: DF.JSON | None
		took_over_record: DF.Check
	# end: auto-generated types

	def validate(self):
		self.set_customer_type()
		self.validate_dates()
		self.validate_not_terminated_already()
		self.validate_customer_words()
		self.validate_reason_is_leaf()
		self.validate_reason_fits()
		self.validate_competitor()
		self.validate_subscriptions()
		self.validate_equipment()
		self.set_lost_mrr()
		self.set_outstanding_balance()

	def before_submit(self):
		self.validate_reason_present()
		self.validate_outcome()
		self.set_partial_outcome()
		self.hold_the_state_before_termination()

	def on_submit(self):
		if self.outcome in TERMINATING:
			self.terminate_all_or_nothing()
		elif self.outcome == "Retained":
			self.record_retention()

	def on_update_after_submit(self):
		if self.has_value_changed("outcome") and self.outcome == "Retained":
			self.retain_before_effective_date()

	def before_cancel(self):
		self.check_undo_possible()

	def on_cancel(self):
		self.undo_termination()
		self.db_set("outcome", "")

	def set_customer_type(self):
		customer_type = frappe.db.get_value("Customer", self.customer, "customer_type")
		self.customer_type = CUSTOMER_TYPES.get(customer_type, "")

	def validate_dates(self):
		if getdate(self.effective_date) < getdate(self.application_date):
			frappe.throw(
				_("The effective date {0} is before the application date {1}.").format(
					frappe.format(self.effective_date, "Date"), frappe.format(self.application_date, "Date")
				),
				EffectiveDateError,
				title=_("Check the dates"),
			)

	def validate_not_terminated_already(self):
		"""Only a churn by non-payment is taken over; a customer already terminated is not terminated twice.

		Checked when the application is filed and again when it terminates (another may have come
		first); an old draft may still be withdrawn.
		"""
		if not self.customer or (self.docstatus == 1 and self.outcome not in TERMINATING):
			return
		record = open_churn_record(self.customer)
		if not record or is_non_payment_churn(record):
			return
		if record.source_doctype == self.doctype:
			frappe.throw(
				_(
					"Customer {0} was already terminated by application {1} (effective {2}); a second termination is not accepted. If that application was wrong, it must be cancelled first."
				).format(
					frappe.bold(self.customer),
					frappe.get_desk_link(self.doctype, record.source_name),
					frappe.format(record.churn_date, "Date"),
				),
				AlreadyTerminatedError,
				title=_("Already terminated"),
			)
		frappe.throw(
			_(
				"Customer {0} is already in the register of churned customers (record {1}); only a churn by non-payment is taken over by a termination application."
			).format(frappe.bold(self.customer), frappe.get_desk_link("Churn Record", record.name)),
			AlreadyTerminatedError,
			title=_("Already terminated"),
		)

	def validate_customer_words(self):
		"""The customer's own words are the evidence behind the classified reason."""
		if not (self.customer_words or "").strip():
			frappe.throw(_("Write down the customer's own words before saving."), ReasonRequiredError)

	def validate_reason_is_leaf(self):
		validate_leaf_reason(self.churn_reason)

	def validate_reason_fits(self):
		"""A B2C-only reason is not a company's; a non-payment reason is not a voluntary churn's."""
		validate_reason_fits(self.churn_reason, self.customer_type, self.churn_kind)

	def validate_competitor(self):
		if not self.churn_reason:
			return
		self.requires_competitor = frappe.db.get_value(
			"Churn Reason", self.churn_reason, "requires_competitor"
		)
		if self.requires_competitor and not self.competitor:
			frappe.throw(
				_("Reason {0} requires the competitor the customer is leaving for.").format(
					frappe.bold(self.churn_reason)
				),
				CompetitorRequiredError,
				title=_("Name the competitor"),
			)

	def validate_subscriptions(self):
		"""Each subscription is the customer's, of this company, listed once; tariff and revenue from ERPNext."""
		seen = set()
		facts = {s["subscription"]: s for s in active_subscriptions(self.customer, self.company)}
		for row in self.subscriptions:
			values = frappe.db.get_value(
				"Subscription", row.subscription, ["party_type", "party", "company"], as_dict=True
			)
			if not values or values.party_type != "Customer" or values.party != self.customer:
				frappe.throw(
					_("Subscription {0} does not belong to customer {1}.").format(
						frappe.bold(row.subscription), frappe.bold(self.customer)
					),
					SubscriptionMismatchError,
				)
			if values.company and self.company and values.company != self.company:
				frappe.throw(
					_("Subscription {0} belongs to company {1}, not {2}.").format(
						frappe.bold(row.subscription), values.company, self.company
					),
					SubscriptionMismatchError,
				)
			if row.subscription in seen:
				frappe.throw(
					_("Subscription {0} is listed twice.").format(frappe.bold(row.subscription)),
					SubscriptionMismatchError,
				)
			seen.add(row.subscription)
			if self.docstatus == 0 and row.subscription in facts:
				row.tariff = facts[row.subscription]["tariff"]
				row.monthly_revenue = facts[row.subscription]["monthly_revenue"]

	def validate_equipment(self):
		"""A serialised item is returned by its ERPNext serial number."""
		for row in self.equipment:
			if not row.serial_no:
				continue
			item = frappe.db.get_value("Serial No", row.serial_no, "item_code")
			if row.item_code and item and item != row.item_code:
				frappe.throw(
					_("Row {0}: serial number {1} is of item {2}, not {3}.").format(
						row.idx, frappe.bold(row.serial_no), item, row.item_code
					)
				)
			row.item_code = row.item_code or item

	def set_lost_mrr(self):
		self.lost_mrr = sum(flt(row.monthly_revenue) for row in self.subscriptions if row.end_subscription)

	def set_outstanding_balance(self):
		if self.docstatus == 0:
			self.outstanding_balance = customer_balance(self.customer, self.company)

	def validate_reason_present(self):
		if not self.churn_reason:
			frappe.throw(
				_("Classify the true reason before submitting: choose a reason of the classifier."),
				ReasonRequiredError,
				title=_("Reason missing"),
			)

	def validate_outcome(self):
		if not self.outcome:
			frappe.throw(_("Set the outcome: Retained, Terminated or Withdrawn."), OutcomeError)
		if self.outcome == "Retained" and not self.retention_method:
			frappe.throw(
				_("Record the retention method that kept the customer."),
				OutcomeError,
				title=_("Method missing"),
			)
		if (
			self.outcome in ("Terminated", "Partially Terminated")
			and self.subscriptions
			and not any(row.end_subscription for row in self.subscriptions)
		):
			frappe.throw(
				_("Tick at least one subscription to end, or retain the customer."),
				OutcomeError,
				title=_("Nothing to end"),
			)

	def set_partial_outcome(self):
		"""Ending some but not all running subscriptions is a partial termination, not churn."""
		if self.outcome not in ("Terminated", "Partially Terminated"):
			return
		self.outcome = "Terminated" if self.ends_everything() else "Partially Terminated"

	def ends_everything(self) -> bool:
		ending = {row.subscription for row in self.subscriptions if row.end_subscription}
		running = {s["subscription"] for s in active_subscriptions(self.customer, self.company)}
		return running <= ending

	def hold_the_state_before_termination(self):
		"""A savepoint before the application itself is written: a failed termination leaves it as it was."""
		if self.outcome in TERMINATING:
			frappe.db.savepoint(TERMINATION_SAVEPOINT)
			self.flags.termination_savepoint = True

	def terminate_all_or_nothing(self):
		"""Terminate; when ERPNext refuses one subscription, nothing of the termination is kept."""
		if not self.flags.termination_savepoint:  # submitted without before_submit (ignore_validate)
			self.terminate()
			return
		try:
			self.terminate()
		except Exception:
			frappe.db.rollback(save_point=TERMINATION_SAVEPOINT)
			raise
		frappe.db.release_savepoint(TERMINATION_SAVEPOINT)

	def terminate(self):
		"""End the chosen subscriptions; ending the last one enters the register."""
		state = {"terminated_at": str(now_datetime())}
		self.db_set("former_churn_status", frappe.db.get_value("Customer", self.customer, "churn_status"))
		if self.outcome == "Terminated":
			state.update(self.enter_register())
		self.db_set("termination_state", frappe.as_json(state))
		end_subscriptions(self)
		if self.outcome == "Partially Terminated":
			frappe.get_doc("Customer", self.customer).add_comment(
				"Info",
				_("Partial termination {0}: monthly revenue {1} lost, the customer stays.").format(
					self.name,
					frappe.format(self.lost_mrr, {"fieldtype": "Currency", "options": self.currency}),
				),
			)

	def enter_register(self) -> dict:
		"""A new churn record, or the open non-payment record taken over; return how to undo it."""
		open_record = frappe.db.get_value(
			"Churn Record", {"customer": self.customer, "status": "Open"}, "name"
		)
		values = {
			"churn_kind": self.churn_kind,
			"churn_reason": self.churn_reason,
			"customer_words": self.customer_words,
			"competitor": self.competitor,
			"source_doctype": self.doctype,
			"source_name": self.name,
			"handled_by": self.handled_by or self.owner,
			"channel": self.channel,
			"offered_method": self.retention_method,
			"offer_result": "Refused" if self.retention_method else "Not Offered",
		}
		if open_record:
			record = frappe.get_doc("Churn Record", open_record)
			former = {field: record.get(field) for field in RECORD_FIELDS_TAKEN_OVER}
			record.update(values)
			record.flags.ignore_permissions = True
			record.save()
			self.db_set({"churn_record": record.name, "took_over_record": 1})
			return {"record_taken_over": former}
		subscriptions = [row.subscription for row in self.subscriptions if row.end_subscription]
		profile = customer_profile(self.customer, self.effective_date, subscriptions, self.company)
		record = frappe.get_doc(
			{
				"doctype": "Churn Record",
				"customer": self.customer,
				"company": self.company,
				"churn_date": self.effective_date,
				**profile,
				**values,
			}
		)
		record.flags.ignore_permissions = True
		record.insert()
		self.db_set("churn_record", record.name)
		return {"record_created": record.name}

	def record_retention(self):
		"""The customer stays: the method and offer on this application are the record of it."""
		if frappe.db.get_value("Customer", self.customer, "churn_status") == "Pre-churn":
			set_customer_churn_status(self.customer, "Active", None)
		frappe.get_doc("Customer", self.customer).add_comment(
			"Info",
			_("Retained with {0}: {1}").format(
				self.retention_method, self.offer_made or _("no offer recorded")
			),
		)

	def retain_before_effective_date(self):
		"""A customer who gave notice for a date still ahead is kept: the termination is undone."""
		if getdate(self.effective_date) <= getdate(nowdate()):
			frappe.throw(
				_(
					"The termination took effect on {0}; win the customer back with a retention task instead."
				).format(frappe.format(self.effective_date, "Date")),
				OutcomeError,
				title=_("Too late to retain"),
			)
		if not self.retention_method:
			frappe.throw(_("Record the retention method that kept the customer."), OutcomeError)
		self.check_undo_possible()
		self.undo_termination()
		self.record_retention()

	def undo_termination(self):
		"""Undo exactly what this application did, or refuse when something happened since."""
		state = frappe.parse_json(self.termination_state or "{}")
		if not state:
			return
		restore_subscriptions(self)
		cancel_tasks_of_termination(self.name, state.get("record_created"))
		if state.get("record_created"):
			self.db_set("churn_record", None)
			record = frappe.get_doc("Churn Record", state["record_created"])
			record.flags.ignore_permissions = True
			record.delete()
		elif state.get("record_taken_over"):
			record = frappe.get_doc("Churn Record", self.churn_record)
			record.update(state["record_taken_over"])
			record.flags.ignore_permissions = True
			record.save()
		if self.former_churn_status and state.get("record_created"):
			open_record = frappe.db.get_value("Churn Record", {"customer": self.customer, "status": "Open"})
			set_customer_churn_status(self.customer, self.former_churn_status, open_record)
		self.db_set({"termination_state": None, "churn_record": None, "took_over_record": 0})

	def check_undo_possible(self):
		"""Before anything changes: refuse when something happened since the termination."""
		if not self.termination_state:
			return
		check_undo_possible(self)
		self.check_record_untouched()

	def check_record_untouched(self):
		"""The record this application made or took over must still be the customer's latest, open."""
		if not self.churn_record:
			return
		record = frappe.db.get_value("Churn Record", self.churn_record, ["status", "creation"], as_dict=True)
		if record and record.status != "Open":
			frappe.throw(
				_("The customer came back since ({0}); the churn record stays.").format(_(record.status)),
				UndoRefusedError,
				title=_("Something happened since"),
			)
		newer = frappe.db.exists(
			"Churn Record",
			{
				"customer": self.customer,
				"name": ("!=", self.churn_record),
				"creation": (">", record.creation),
			},
		)
		if newer:
			frappe.throw(
				_("A newer churn record {0} exists for this customer.").format(frappe.bold(newer)),
				UndoRefusedError,
				title=_("Something happened since"),
			)


def open_churn_record(customer: str) -> frappe._dict | None:
	"""The customer's open record in the register (a customer has one at a time)."""
	return frappe.db.get_value(
		"Churn Record",
		{"customer": customer, "status": "Open"},
		["name", "churn_kind", "churn_reason", "churn_date", "source_doctype", "source_name"],
		as_dict=True,
	)


def is_non_payment_churn(record: dict) -> bool:
	"""A churn the daily job found by non-payment: involuntary, and made by no application."""
	return record.get("churn_kind") == "Involuntary" and not record.get("source_doctype")


def customer_balance(customer: str, company: str | None) -> float:
	"""The customer's net balance with the company, read with the user's own permissions."""
	if not customer or not company or not frappe.has_permission("Company", "read", company):
		return 0.0
	if not frappe.has_permission("Sales Invoice", "read"):
		return 0.0
	rows = frappe.get_list(
		"Sales Invoice",
		filters={"customer": customer, "company": company, "docstatus": 1},
		fields=["sum(outstanding_amount) as total"],
	)
	balance = flt(rows[0].total) if rows else 0.0
	if frappe.has_permission("Payment Entry", "read"):
		advances = frappe.get_list(
			"Payment Entry",
			filters={
				"party_type": "Customer",
				"party": customer,
				"company": company,
				"docstatus": 1,
				"payment_type": "Receive",
			},
			fields=["sum(unallocated_amount) as total"],
		)
		balance -= flt(advances[0].total) if advances else 0.0
	return balance


@frappe.whitelist()
def get_customer_context(customer: str, company: str | None = None) -> dict:
	"""What the desk sees when picking a customer: balance, running subscriptions, churn status."""
	frappe.has_permission("Termination Application", "create", throw=True)
	frappe.has_permission("Customer", "read", customer, throw=True)
	if company and not frappe.has_permission("Company", "read", company):
		frappe.throw(_("You may not work for company {0}.").format(company), frappe.PermissionError)
	record = open_churn_record(customer)
	subscriptions = []
	if frappe.has_permission("Subscription", "read"):
		permitted = set(
			frappe.get_list(
				"Subscription", filters={"party_type": "Customer", "party": customer}, pluck="name"
			)
		)
		subscriptions = [s for s in active_subscriptions(customer, company) if s["subscription"] in permitted]
	return {
		"outstanding_balance": customer_balance(customer, company),
		"subscriptions": subscriptions,
		"churn_status": frappe.db.get_value("Customer", customer, "churn_status"),
		"open_churn_record": record and {**record, "can_take_over": is_non_payment_churn(record)},
	}


@frappe.whitelist()
def get_desk_defaults() -> dict:
	"""What the form needs from Churn Settings, for users who may not read the settings themselves."""
	frappe.has_permission("Termination Application", "read", throw=True)
	settings = frappe.get_cached_doc("Churn Settings")
	company = (
		settings.default_company
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
		or next(iter(frappe.get_list("Company", pluck="name", limit=1)), None)
	)
	if company and not frappe.has_permission("Company", "read", company):
		company = None
	return {"company": company, "non_payment_reason": settings.non_payment_reason}


@frappe.whitelist()
def get_final_bills(
	customer: str, company: str, effective_date: str, subscriptions: str | list
) -> list[dict]:
	"""What ERPNext will invoice on ending each subscription, for the desk to see before Terminate."""
	frappe.has_permission("Termination Application", "read", throw=True)
	frappe.has_permission("Customer", "read", customer, throw=True)
	if not frappe.has_permission("Company", "read", company):
		frappe.throw(_("You may not work for company {0}.").format(company), frappe.PermissionError)
	names = frappe.parse_json(subscriptions) if isinstance(subscriptions, str) else subscriptions
	permitted = set(
		frappe.get_list(
			"Subscription",
			filters={"party_type": "Customer", "party": customer, "company": company, "name": ("in", names)},
			pluck="name",
		)
	)
	return [final_bill(name, effective_date, company) for name in names if name in permitted]
