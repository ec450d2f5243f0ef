// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Retention Activities"] = {
	filters: [
		churn_management.report_filters.company(),
		churn_management.report_filters.from_date(1),
		churn_management.report_filters.to_date(30),
		churn_management.report_filters.user("manager", __("Manager")),
		churn_management.report_filters.reason_group(),
		churn_management.report_filters.task_type(),
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Waiting", label: __("Waiting", null, "Retention Task") },
				{ value: "Open", label: __("Open", null, "Retention Task") },
				{ value: "In Progress", label: __("In Progress", null, "Retention Task") },
				{ value: "Closed", label: __("Closed", null, "Retention Task") },
			],
		},
	],
};
