// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Lifecycle Goals"] = {
	filters: [
		churn_management.report_filters.from_date(6),
		churn_management.report_filters.to_date(),
		churn_management.report_filters.periodicity(["Monthly", "Quarterly"], "Monthly"),
		churn_management.report_filters.club(),
	],
};
