// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Staff Motivation"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -6),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_end(),
		},
		{ fieldname: "employee_user", label: __("Employee User", null, "Staff Motivation"), fieldtype: "Link", options: "User" },
		{ fieldname: "scheme", label: __("Motivation Scheme"), fieldtype: "Link", options: "Motivation Scheme" },
		{ fieldname: "include_drafts", label: __("Include Drafts"), fieldtype: "Check", default: 0 },
	],
};
