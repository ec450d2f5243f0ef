// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Retention Economics"] = {
	filters: [
		churn_management.report_filters.company({ reqd: 1 }),
		churn_management.report_filters.from_date(12),
		churn_management.report_filters.to_date(),
	],
};
