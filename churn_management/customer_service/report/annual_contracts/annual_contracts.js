// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Annual Contracts"] = {
	filters: [
		churn_management.report_filters.company({ reqd: 1 }),
		{
			fieldname: "from_date",
			label: __("Ending From"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("Ending To"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_end(), 11),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Month", label: __("Month") },
				{ value: "Seller", label: __("Seller") },
			],
			default: "Month",
		},
	],
};
