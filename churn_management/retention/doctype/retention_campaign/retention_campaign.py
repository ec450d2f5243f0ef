# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The testing phase (DOMAIN.md §3): the best specialist calls a random sample of churned customers
with each method; the measured conversion per reason and method, with its 95 % interval, becomes the
classifier's planned conversion.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, getdate, now_datetime, nowdate

from churn_management.analytics.retention.work import (
	conversion_table,
	sample_customers,
	seed_from_text,
	split_methods,
)
from churn_management.churn_management.doctype.churn_record.churn_record_utils import CUSTOMER_TYPES
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

OPEN_STATUSES = ("Waiting", "Open", "In Progress")


class CampaignError(frappe.ValidationError):
	pass


class RetentionCampaign(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.retention.doctype.retention_campaign_method.retention_campaign_method import (
			RetentionCampaignMethod,
		)
		from churn_management.retention.doctype.retention_campaign_reason.retention_campaign_reason import (
			RetentionCampaignReason,
		)
		from churn_management.retention.doctype.retention_campaign_result.retention_campaign_result import (
			RetentionCampaignResult,
		)

		campaign_name: DF.Data
		churned_from: DF.Date
		churned_to: DF.Date
		company: DF.Link
		customer_type: DF.Literal["Both", "B2B", "B2C"]
		due_days: DF.Int
		methods: DF.Table[RetentionCampaignMethod]
		reasons: DF.TableMultiSelect[RetentionCampaignReason]
		results: DF.Table[RetentionCampaignResult]
		results_on: DF.Datetime | None
		sample_size: DF.Int
		seed: DF.Int
		status: DF.Literal["Draft", "Running", "Completed"]
		task_type: DF.Literal[
			"Win-back", "Prevention", "Reason call", "Renewal", "Reactivation", "Equipment return"
		]
		tasks_created: DF.Int
		territory: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_period()
		self.validate_sample_size()
		self.validate_methods()
		self.set_seed()

	def validate_period(self):
		if getdate(self.churned_to) < getdate(self.churned_from):
			frappe.throw(
				_("The churn period ends before it starts."), CampaignError, title=_("Check the dates")
			)

	def validate_sample_size(self):
		if cint(self.sample_size) <= 0:
			frappe.throw(_("The sample needs at least one customer."), CampaignError)

	def validate_methods(self):
		methods = [row.retention_method for row in self.methods]
		if not methods:
			frappe.throw(_("Choose at least one method to test."), CampaignError)
		if len(set(methods)) != len(methods):
			frappe.throw(_("Each method is tested once per campaign."), CampaignError)
		for row in self.methods:
			row.planned_conversion = frappe.db.get_value(
				"Retention Method", row.retention_method, "planned_conversion"
			)

	def set_seed(self):
		if not self.seed:
			self.seed = seed_from_text(self.campaign_name) % 1_000_000

	def candidates(self) -> pd.DataFrame:
		"""Churned customers of the period who match the filter and have no open task of this type."""
		record = frappe.qb.DocType("Churn Record")
		customer = frappe.qb.DocType("Customer")
		reason = frappe.qb.DocType("Churn Reason")
		query = (
			frappe.qb.from_(record)
			.join(customer)
			.on(customer.name == record.customer)
			.left_join(reason)
			.on(reason.name == record.churn_reason)
			.select(record.name.as_("churn_record"), record.customer, record.lost_mrr, record.churn_reason)
			.where(
				(record.status == "Open")
				& (record.churn_date >= self.churned_from)
				& (record.churn_date <= self.churned_to)
			)
		)
		if self.company:
			query = query.where(record.company == self.company)
		if self.territory:
			query = query.where(customer.territory.isin(self.territories()))
		if self.customer_type in ("B2B", "B2C"):
			types = [t for t, kind in CUSTOMER_TYPES.items() if kind == self.customer_type]
			query = query.where(customer.customer_type.isin(types))
		reasons = [row.churn_reason for row in self.reasons]
		if reasons:
			query = query.where(record.churn_reason.isin(reasons))
		else:
			query = query.where(reason.managed == 1)
		rows = to_frame(
			query.run(as_dict=True), columns=["churn_record", "customer", "lost_mrr", "churn_reason"]
		)
		task = frappe.qb.DocType("Retention Task")
		busy = {
			row[0]
			for row in frappe.qb.from_(task)
			.select(task.customer)
			.distinct()
			.where((task.task_type == self.task_type) & (task.status.isin(OPEN_STATUSES)))
			.run()
		}
		return rows[~rows["customer"].isin(busy)].drop_duplicates("customer")

	def territories(self) -> list[str]:
		"""The chosen territory and every territory under it."""
		territory = frappe.qb.DocType("Territory")
		bounds = frappe.db.get_value("Territory", self.territory, ["lft", "rgt"], as_dict=True)
		return [
			row[0]
			for row in frappe.qb.from_(territory)
			.select(territory.name)
			.where((territory.lft >= bounds.lft) & (territory.rgt <= bounds.rgt))
			.run()
		]

	@frappe.whitelist()
	def create_tasks(self) -> int:
		"""Draw the sample, split it among the methods at random and make one task per customer."""
		self.check_permission("write")
		if self.tasks_created:
			frappe.throw(_("This campaign has already made its tasks."), CampaignError)
		candidates = self.candidates()
		if candidates.empty:
			frappe.throw(_("No churned customer matches the campaign's filter."), CampaignError)
		sample = sample_customers(candidates["customer"].tolist(), cint(self.sample_size), cint(self.seed))
		split = split_methods(sample, [row.retention_method for row in self.methods], cint(self.seed))
		facts = candidates.set_index("customer")
		due_date = add_days(nowdate(), cint(self.due_days) or 7)
		for customer, method in zip(split["customer"], split["method"], strict=True):
			frappe.get_doc(
				{
					"doctype": "Retention Task",
					"task_type": self.task_type,
					"customer": customer,
					"company": self.company,
					"due_date": due_date,
					"churn_record": facts.loc[customer, "churn_record"],
					"monthly_revenue": facts.loc[customer, "lost_mrr"] or 0,
					"planned_method": method,
					"retention_method": None,
					"retention_campaign": self.name,
				}
			).insert(ignore_permissions=True)
		self.tasks_created = len(split)
		self.status = "Running"
		self.save()
		return len(split)

	@frappe.whitelist()
	def measure(self) -> None:
		"""Measured conversion per method, and per reason and method, raw and still active."""
		self.check_permission("write")
		tasks = to_frame(
			frappe.get_all(
				"Retention Task",
				filters={"retention_campaign": self.name},
				fields=["planned_method", "churn_reason", "outcome", "save_status", "status"],
				ignore_permissions=True,
			),
			columns=["planned_method", "churn_reason", "outcome", "save_status", "status"],
		)
		by_method = conversion_table(tasks, ["planned_method"]).set_index("planned_method")
		for row in self.methods:
			found = row.retention_method in by_method.index
			measured = by_method.loc[row.retention_method] if found else None
			row.tasks = int(measured["tasks"]) if found else 0
			row.returned = int(measured["returned"]) if found else 0
			row.conversion = _percent(measured["conversion"]) if found else 0
			row.conversion_low = _percent(measured["conversion_low"]) if found else 0
			row.conversion_high = _percent(measured["conversion_high"]) if found else 0
			row.sticky_conversion = _percent(measured["sticky_conversion"]) if found else 0
		self.set("results", [])
		for row in conversion_table(tasks, ["churn_reason", "planned_method"]).itertuples(index=False):
			self.append(
				"results",
				{
					"churn_reason": row.churn_reason or None,
					"retention_method": row.planned_method,
					"tasks": int(row.tasks),
					"returned": int(row.returned),
					"conversion": _percent(row.conversion),
					"conversion_low": _percent(row.conversion_low),
					"conversion_high": _percent(row.conversion_high),
				},
			)
		self.results_on = now_datetime()
		if not tasks.empty and not tasks["status"].isin(OPEN_STATUSES).any():
			self.status = "Completed"
		self.save()

	@frappe.whitelist()
	def apply_to_classifier(self) -> int:
		"""Write the measured conversion into the classifier's planned conversion."""
		self.check_permission("write")
		frappe.has_permission("Churn Reason", "write", throw=True)
		if not self.results:
			frappe.throw(_("Measure the results first."), CampaignError)
		changed = 0
		for row in self.results:
			if not row.churn_reason or not row.tasks:
				continue
			reason = frappe.get_doc("Churn Reason", row.churn_reason)
			existing = next((m for m in reason.methods if m.retention_method == row.retention_method), None)
			if existing:
				existing.planned_conversion = row.conversion
			else:
				reason.append(
					"methods",
					{"retention_method": row.retention_method, "planned_conversion": row.conversion},
				)
			reason.save()
			changed += 1
		for row in self.methods:
			if row.tasks:
				method = frappe.get_doc("Retention Method", row.retention_method)
				method.planned_conversion = row.conversion
				method.save()
		return changed


def _percent(value) -> float:
	return 0.0 if pd.isna(value) else round(float(value) * 100, 2)
