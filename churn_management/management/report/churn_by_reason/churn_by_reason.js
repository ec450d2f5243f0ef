// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Churn by Reason"] = {
	filters: churn_management.report_filters.management(),
};
