// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Subscriber Lifetime"] = {
	filters: churn_management.report_filters.management([
		{
			fieldname: "curves_by",
			label: __("Survival Curves By"),
			fieldtype: "Select",
			options: [
				{ value: "customer_type", label: __("Customer Type") },
				{ value: "territory", label: __("Territory") },
				{ value: "tariff", label: __("Tariff") },
				{ value: "sales_channel", label: __("Sales Channel") },
				{ value: "contract_type", label: __("Contract Type") },
				{ value: "complaints", label: __("Complaints in 12 Months") },
				{ value: "outages", label: __("Outages in 12 Months") },
			],
			default: "customer_type",
		},
	]),
};
