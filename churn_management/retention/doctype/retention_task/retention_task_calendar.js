// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.views.calendar["Retention Task"] = {
	field_map: {
		start: "due_date",
		end: "due_date",
		id: "name",
		title: "customer_name",
		allDay: "allDay",
		status: "status",
	},
	style_map: {
		Waiting: "default",
		Open: "info",
		"In Progress": "warning",
		Closed: "success",
	},
	filters: [
		{ fieldtype: "Link", fieldname: "assignee", options: "User", label: __("Assigned To") },
	],
	get_events_method: "frappe.desk.calendar.get_events",
};
