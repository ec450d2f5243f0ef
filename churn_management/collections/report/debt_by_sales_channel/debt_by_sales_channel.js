// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Debt by Sales Channel"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			reqd: 1,
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Sales Person", "Sales Partner", "Customer Group", "Territory"],
			default: "Sales Person",
		},
		{ fieldname: "months", label: __("Within months"), fieldtype: "Int", default: 3 },
		{ fieldname: "grace_days", label: __("Grace days"), fieldtype: "Int", default: 0 },
	],
};
