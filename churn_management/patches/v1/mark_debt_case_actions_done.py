# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Debt cases from before the background batches had their stage's actions done inline: mark them done,
so the first batches do not act on them again."""

import frappe


def execute():
	case = frappe.qb.DocType("Debt Case")
	frappe.qb.update(case).set(case.acted_stage, case.stage).where(case.acted_stage.isnull()).run()
