// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Plan vs Actual"] = {
	filters: [
		churn_management.report_filters.company({ reqd: 1 }),
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
		},
	],
};
