// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Cohort Retention"] = {
	filters: churn_management.report_filters.management(),
};
