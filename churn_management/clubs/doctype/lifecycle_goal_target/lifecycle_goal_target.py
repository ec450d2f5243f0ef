# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A measurable goal of the club for a month (or every month): the share it aims at."""

from frappe.model.document import Document

# the goals as the analytics core names them
GOAL_KEYS = {
	"Renewal share": "renewal_share",
	"Starter package completion": "starter_completion_share",
	"Starter services delivered": "starter_services_delivered_share",
	"Starter to personal training": "starter_to_pt_conversion",
	"Reactivated share": "reactivated_share",
}


class LifecycleGoalTarget(Document):
	pass
