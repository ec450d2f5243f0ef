// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Retention Monitoring"] = {
	filters: [
		churn_management.report_filters.company(),
		churn_management.report_filters.from_date(12),
		churn_management.report_filters.to_date(),
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Reason", "Reason Group", "Method", "Manager", "Month"],
			default: "Reason",
		},
		churn_management.report_filters.user("manager", __("Manager")),
		churn_management.report_filters.reason_group(),
		churn_management.report_filters.task_type(),
	],
};
