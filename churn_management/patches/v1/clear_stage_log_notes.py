# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A Debt Case's "Stage" log rows no longer repeat the stage's name as their note (the stage column
shows it, in the reader's language)."""

import frappe


def execute():
	action = frappe.qb.DocType("Debt Case Action")
	(
		frappe.qb.update(action)
		.set(action.note, "")
		.where((action.action == "Stage") & (action.note == action.stage))
		.run()
	)
