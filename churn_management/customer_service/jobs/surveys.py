# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily survey job: personal links past their date turn Expired, and detractors get their Prevention task
through the task rules with the trigger "Detractor in a satisfaction survey" (idempotent: the rules leave out
customers who already have an open task of the type or one of the rule within its repeat window)."""

import frappe
from frappe.utils import getdate, nowdate

from churn_management.customer_service.survey_links import DETRACTOR_TRIGGER, expire_links
from churn_management.retention.jobs.retention_tasks import commit, make_tasks_for_rule


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	expire_links()
	make_detractor_tasks()
	commit()


def make_detractor_tasks(today=None) -> int:
	"""Tasks of every enabled detractor rule (also queued right after a detractor answers)."""
	today = getdate(today or nowdate())
	made = 0
	for rule in frappe.get_all(
		"Retention Task Rule", filters={"enabled": 1, "trigger": DETRACTOR_TRIGGER}, pluck="name"
	):
		made += make_tasks_for_rule(frappe.get_doc("Retention Task Rule", rule), today)
	commit()
	return made
