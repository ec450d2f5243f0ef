# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Costs and switches of debt work: staff cost per minute, the learning window, the write-off account."""

import frappe
from frappe import _
from frappe.model.document import Document


class DebtCollectionSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		block_subscriptions: DF.Check
		cost_per_minute: DF.Currency
		default_probability: DF.Percent
		enable_daily_job: DF.Check
		follow_days: DF.Int
		history_months: DF.Int
		last_run_on: DF.Datetime | None
		last_run_summary: DF.SmallText | None
		write_off_account: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_probability()

	def validate_probability(self):
		if not 0 <= (self.default_probability or 0) <= 100:
			frappe.throw(_("The recovery probability without history must be between 0 and 100 %."))


@frappe.whitelist()
def run_now() -> dict:
	"""Run the daily debt job at once (finance roles)."""
	frappe.only_for(("Accounts Manager", "Retention Head", "System Manager"))
	from churn_management.jobs.debt_cases import update_debt_cases

	return update_debt_cases()
