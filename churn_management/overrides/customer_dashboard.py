# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The Customer form's connections gain the customer's churn and customer-service documents."""

from frappe import _


def get_dashboard_data(data: dict) -> dict:
	"""Add groups for churn, contracts and cards, and the customer's applications and surveys."""
	data.setdefault("transactions", []).extend(
		[
			{"label": _("Churn"), "items": ["Termination Application", "Churn Record"]},
			{"label": _("Contracts and Cards"), "items": ["Annual Contract", "Bonus Card"]},
			{
				"label": _("Applications"),
				"items": [
					"Suspension Application",
					"Relocation Application",
					"Concession Application",
					"Recalculation Application",
					"Tariff Change Application",
				],
			},
			{"label": _("Satisfaction"), "items": ["Survey Response"]},
		]
	)
	return data
