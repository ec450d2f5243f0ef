// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// a preset stage reads in the user's language under its own context ("Lapsed" is not an invoice's "overdue")
frappe.form.link_formatters["Lifecycle Stage"] = (value) => (value ? __(value, null, "Lifecycle Stage") : value);

frappe.query_reports["Lifecycle Statistics"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: ["Weekly", "Monthly", "Quarterly"],
			default: "Weekly",
		},
		{ fieldname: "club", label: __("Club"), fieldtype: "Link", options: "Branch" },
	],
};
