# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from frappe import _


def get_data():
	return {
		"fieldname": "membership",
		"non_standard_fieldnames": {"Club Membership": "renews"},
		"transactions": [
			{"label": _("Visits"), "items": ["Club Visit"]},
			{"label": _("Lifecycle"), "items": ["Starter Package Completion", "Lifecycle Transition"]},
			{"label": _("Renewal"), "items": ["Club Membership"]},
		],
	}
