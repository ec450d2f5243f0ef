# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A pause instead of a termination (DOMAIN.md §4: suspension and resumption of service).

Draft = requested (the customer counts as pre-churn meanwhile); submitted = approved. ERPNext v15
Subscriptions have no pause, so the pause is made with the Subscription's own API: on the first
day the subscription is cancelled (`cancel_subscription`, which stops invoicing; ERPNext bills the
days used before the pause), and on the day after the last one it is restarted
(`restart_subscription`), with a full billing period from the first day not yet billed (the day of
resumption, or the day after what an invoice made in advance covers; see pause_billing.py). A Resumption
Application ends the pause earlier. A pause after which the customer does not pay again within
the configured days turns into pre-churn.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, date_diff, flt, getdate, nowdate

from churn_management.retention.doctype.retention_settings.retention_settings import get_settings
from churn_management.retention.doctype.retention_task.retention_task_utils import cancel_subscription
from churn_management.retention.doctype.suspension_application.pause_billing import (
	restart_billing,
)

LIVE_STATUSES = ("Requested", "Scheduled", "Paused")


class PauseDatesError(frappe.ValidationError):
	pass


class PauseOverlapError(frappe.ValidationError):
	pass


class PauseSubscriptionError(frappe.ValidationError):
	pass


class SuspensionApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		application_date: DF.Date
		came_back: DF.Literal["", "Yes", "No"]
		channel: DF.Literal["Office", "Phone", "E-mail", "Written", "Website"]
		company: DF.Link
		customer: DF.Link
		customer_name: DF.Data | None
		fee_during_pause: DF.Currency
		fee_invoice: DF.Link | None
		from_date: DF.Date
		naming_series: DF.Literal["SA-.YYYY.-"]
		reason: DF.SmallText
		resumed_on: DF.Date | None
		resumption_application: DF.Link | None
		retention_task: DF.Link | None
		source: DF.Literal["Customer", "Retention offer"]
		status: DF.Literal["Requested", "Scheduled", "Paused", "Resumed", "Cancelled"]
		subscription: DF.Link
		to_date: DF.Date
	# end: auto-generated types

	def validate(self):
		self.validate_dates()
		self.validate_length()
		self.validate_overlap()
		self.validate_subscription()
		self.validate_fee()
		if self.docstatus == 0:
			self.status = "Requested"

	def on_submit(self):
		self.db_set("status", "Scheduled")
		if getdate(self.from_date) <= getdate(nowdate()):
			self.pause()

	def on_cancel(self):
		if self.status == "Paused":
			self.resume(nowdate())
		self.db_set("status", "Cancelled")

	def validate_dates(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(
				_("The pause ends on {0}, before it starts on {1}.").format(
					frappe.format(self.to_date, "Date"), frappe.format(self.from_date, "Date")
				),
				PauseDatesError,
				title=_("Check the dates"),
			)

	def validate_length(self):
		longest = cint(get_settings().max_pause_days)
		days = date_diff(self.to_date, self.from_date) + 1
		if longest and days > longest:
			frappe.throw(
				_("A pause of {0} days is longer than the {1} days the retention settings allow.").format(
					days, longest
				),
				PauseDatesError,
				title=_("Pause too long"),
			)

	def validate_overlap(self):
		application = frappe.qb.DocType("Suspension Application")
		other = (
			frappe.qb.from_(application)
			.select(application.name)
			.where(
				(application.customer == self.customer)
				& (application.name != (self.name or ""))
				& (application.docstatus < 2)
				& (application.status.isin(LIVE_STATUSES))
				& (application.from_date <= self.to_date)
				& (application.to_date >= self.from_date)
			)
			.limit(1)
			.run()
		)
		if other:
			frappe.throw(
				_("This pause overlaps pause {0} of the same customer.").format(
					frappe.get_desk_link("Suspension Application", other[0][0])
				),
				PauseOverlapError,
				title=_("Pauses overlap"),
			)

	def validate_subscription(self):
		values = frappe.db.get_value(
			"Subscription", self.subscription, ["party_type", "party", "status"], as_dict=True
		)
		if not values or values.party_type != "Customer" or values.party != self.customer:
			frappe.throw(
				_("Subscription {0} does not belong to customer {1}.").format(
					frappe.bold(self.subscription), frappe.bold(self.customer)
				),
				PauseSubscriptionError,
			)
		if self.docstatus == 0 and values.status in ("Cancelled", "Completed"):
			frappe.throw(
				_("Subscription {0} has ended; there is nothing to pause.").format(
					frappe.bold(self.subscription)
				),
				PauseSubscriptionError,
			)

	def validate_fee(self):
		if flt(self.fee_during_pause) < 0:
			frappe.throw(_("The fee during the pause cannot be negative."), PauseDatesError)

	def pause(self) -> None:
		"""First day of the pause: stop the subscription's invoicing through ERPNext's API."""
		subscription = frappe.get_doc("Subscription", self.subscription)
		subscription.flags.ignore_permissions = True
		if subscription.status != "Cancelled":
			cancel_subscription(subscription)
		subscription.add_comment(
			"Info",
			_("Paused from {0} to {1} by {2}").format(
				frappe.format(self.from_date, "Date"), frappe.format(self.to_date, "Date"), self.name
			),
		)
		self.db_set("status", "Paused")
		if flt(self.fee_during_pause) > 0 and not self.fee_invoice:
			self.db_set("fee_invoice", self.make_fee_invoice(subscription))

	def resume(self, resume_on, resumption_application: str | None = None) -> None:
		"""The pause ends: a full billing period starts on the first day not yet billed."""
		if self.status == "Paused":
			subscription = frappe.get_doc("Subscription", self.subscription)
			subscription.flags.ignore_permissions = True
			if subscription.status == "Cancelled":
				restart_billing(subscription, resume_on)
				subscription.add_comment("Info", _("Resumed after pause {0}").format(self.name))
		values = {"status": "Resumed", "resumed_on": getdate(resume_on)}
		if resumption_application:
			values["resumption_application"] = resumption_application
		self.db_set(values)

	def make_fee_invoice(self, subscription) -> str | None:
		"""Bill the pause fee once, on the subscription's first item."""
		if not subscription.plans:
			return None
		item = frappe.db.get_value("Subscription Plan", subscription.plans[0].plan, "item")
		invoice = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": self.customer,
				"company": self.company,
				"posting_date": nowdate(),
				"set_posting_time": 1,
				"due_date": nowdate(),
				"items": [
					{
						"item_code": item,
						"qty": 1,
						"rate": flt(self.fee_during_pause),
						"description": _("Fee for the pause {0} to {1}").format(
							frappe.format(self.from_date, "Date"), frappe.format(self.to_date, "Date")
						),
					}
				],
			}
		)
		invoice.flags.ignore_permissions = True
		invoice.insert()
		invoice.submit()
		return invoice.name


def resume_date_after(to_date) -> str:
	"""The pause covers to_date; service resumes the day after."""
	return add_days(to_date, 1)
