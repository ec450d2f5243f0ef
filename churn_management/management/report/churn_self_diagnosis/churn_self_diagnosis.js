// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Churn Self-Diagnosis"] = {
	filters: churn_management.report_filters.management(),
	onload(report) {
		// the same workbook `churn-analytics diagnose` writes, in the user's language
		report.page.add_inner_button(__("Download Workbook"), () => {
			open_url_post(
				"/api/method/churn_management.management.api.diagnosis_workbook.download_workbook",
				{ filters: JSON.stringify(report.get_filter_values(true)) }
			);
		});
	},
};
