// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Lifecycle Goals"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -6),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: ["Monthly", "Quarterly"],
			default: "Monthly",
		},
		{ fieldname: "club", label: __("Club"), fieldtype: "Link", options: "Branch" },
	],
};
