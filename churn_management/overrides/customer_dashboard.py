# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The Customer form's connections gain the customer's churn documents."""

from frappe import _


def get_dashboard_data(data: dict) -> dict:
	"""Add a Churn group with Termination Applications and Churn Records."""
	data.setdefault("transactions", []).append(
		{"label": _("Churn"), "items": ["Termination Application", "Churn Record"]}
	)
	return data
