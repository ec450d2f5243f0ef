// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// a preset stage reads in the user's language under its own context ("Lapsed" is not an invoice's "overdue")
frappe.form.link_formatters["Lifecycle Stage"] = (value) => (value ? __(value, null, "Lifecycle Stage") : value);

frappe.query_reports["Lifecycle Segmentation"] = {
	filters: [
		{ fieldname: "date", label: __("Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		churn_management.report_filters.club(),
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Stage", "Club", "Department"],
			default: "Stage",
		},
	],
};
