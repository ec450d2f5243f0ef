// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Retention Monitoring"] = {
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
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Reason", "Reason Group", "Method", "Manager", "Month"],
			default: "Reason",
		},
		{ fieldname: "manager", label: __("Manager"), fieldtype: "Link", options: "User" },
		{
			fieldname: "reason_group",
			label: __("Reason Group"),
			fieldtype: "Link",
			options: "Churn Reason",
			get_query: () => ({ filters: { is_group: 1 } }),
		},
		{
			fieldname: "task_type",
			label: __("Task Type"),
			fieldtype: "Select",
			options: ["", "Win-back", "Prevention", "Reason call", "Renewal", "Reactivation", "Equipment return"],
		},
	],
};
