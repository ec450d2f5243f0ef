# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A move to another Subscription Plan from a date (DOMAIN.md §4: tariff change).

Submitting schedules the change; on its date (at once when the date has come, else by the daily
job) the plan is swapped on the ERPNext Subscription as the desk would edit it, so ERPNext bills
the new plan from its next invoice. A billed period keeps its plan: the date cannot lie before the
subscription's last invoice. A cheaper plan is a churn signal: the customer is pre-churn from the
submission until the settings' days after the change date, and the task rule trigger "Tariff
downgrade" gives the retention team a Prevention task.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Max
from frappe.utils import add_days, getdate, nowdate

from churn_management.analytics.customer_service.applications import is_downgrade
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	set_customer_churn_status,
)
from churn_management.customer_service.applications import (
	first_plan,
	get_subscription,
	plan_monthly_price,
	validate_subscription_of,
)
from churn_management.customer_service.doctype.customer_service_settings.customer_service_settings import (
	downgrade_pre_churn_days,
)

STATUSES_THAT_TURN_PRE_CHURN = ("Active", "Won back", "", None)


class TariffSamePlanError(frappe.ValidationError):
	pass


class TariffDateError(frappe.ValidationError):
	pass


class TariffChangeApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		application_date: DF.Date
		change_date: DF.Date
		company: DF.Link
		current_plan: DF.Link | None
		current_price: DF.Currency
		customer: DF.Link
		customer_name: DF.Data | None
		customer_words: DF.SmallText | None
		is_downgrade: DF.Check
		naming_series: DF.Literal["TCH-.YYYY.-"]
		new_plan: DF.Link
		new_price: DF.Currency
		pre_churn_until: DF.Date | None
		status: DF.Literal["Requested", "Scheduled", "Changed", "Cancelled"]
		subscription: DF.Link
	# end: auto-generated types

	def validate(self):
		validate_subscription_of(self)
		self.set_current_plan()
		self.validate_new_plan()
		self.validate_change_date()
		self.set_downgrade()
		if self.docstatus == 0:
			self.status = "Requested"

	def on_submit(self):
		self.db_set("status", "Scheduled")
		if self.is_downgrade:
			self.flag_pre_churn()
		if getdate(self.change_date) <= getdate(nowdate()):
			self.change_plan()

	def on_cancel(self):
		if self.status == "Changed":
			self.swap_plan(self.new_plan, self.current_plan)
		self.db_set("status", "Cancelled")

	def set_current_plan(self):
		if self.docstatus == 0:
			self.current_plan = first_plan(self.subscription)
		self.current_price = plan_monthly_price(self.current_plan) if self.current_plan else 0
		self.new_price = plan_monthly_price(self.new_plan) if self.new_plan else 0

	def validate_new_plan(self):
		if self.new_plan == self.current_plan:
			frappe.throw(
				_("Subscription {0} is already on plan {1}: choose another plan.").format(
					frappe.bold(self.subscription), frappe.bold(self.new_plan)
				),
				TariffSamePlanError,
				title=_("Same plan"),
			)

	def validate_change_date(self):
		last = last_invoice_date(self.subscription)
		if last and getdate(self.change_date) < getdate(last):
			frappe.throw(
				_(
					"The change date {0} is before the subscription's last invoice of {1}: a billed period keeps its plan."
				).format(frappe.format(self.change_date, "Date"), frappe.format(last, "Date")),
				TariffDateError,
				title=_("Check the date"),
			)

	def set_downgrade(self):
		self.is_downgrade = int(is_downgrade(self.current_price, self.new_price))
		days = downgrade_pre_churn_days()
		self.pre_churn_until = add_days(self.change_date, days) if self.is_downgrade and days else None

	def flag_pre_churn(self) -> None:
		"""A downgrade is a churn signal: an active customer turns pre-churn (the daily status job keeps it)."""
		if not self.pre_churn_until:
			return
		status, record = frappe.db.get_value("Customer", self.customer, ["churn_status", "open_churn_record"])
		if status in STATUSES_THAT_TURN_PRE_CHURN:
			set_customer_churn_status(self.customer, "Pre-churn", record)

	def change_plan(self) -> None:
		"""The change date has come: the subscription bills the new plan from its next invoice."""
		self.swap_plan(self.current_plan, self.new_plan)
		self.db_set("status", "Changed")

	def swap_plan(self, old: str, new: str) -> None:
		subscription = get_subscription(self.subscription)
		for row in subscription.plans:
			if row.plan == old:
				row.plan = new
				break
		else:
			subscription.append("plans", {"plan": new, "qty": 1})
		subscription.save()
		subscription.add_comment("Info", _("Plan {0} changed to {1} by {2}").format(old, new, self.name))


def last_invoice_date(subscription: str):
	"""The posting date of the subscription's latest submitted invoice."""
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(Max(invoice.posting_date))
		.where((invoice.subscription == subscription) & (invoice.docstatus == 1) & (invoice.is_return == 0))
		.run()
	)
	return rows[0][0] if rows else None
