// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// a preset stage reads in the user's language under its own context ("Lapsed" is not an invoice's "overdue")
frappe.form.link_formatters["Lifecycle Stage"] = (value) => (value ? __(value, null, "Lifecycle Stage") : value);

frappe.query_reports["Lifecycle Statistics"] = {
	filters: [
		churn_management.report_filters.from_date(3),
		churn_management.report_filters.to_date(),
		churn_management.report_filters.periodicity(["Weekly", "Monthly", "Quarterly"], "Weekly"),
		churn_management.report_filters.club(),
	],
};
