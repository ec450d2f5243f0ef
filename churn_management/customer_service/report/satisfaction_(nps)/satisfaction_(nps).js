// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Satisfaction (NPS)"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "survey", label: __("Survey"), fieldtype: "Link", options: "Satisfaction Survey" },
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{
			fieldname: "segment_by",
			label: __("Segment By"),
			fieldtype: "Select",
			options: [
				{ value: "Territory", label: __("Territory") },
				{ value: "Tariff", label: __("Tariff") },
				{ value: "Customer Type", label: __("Customer Type") },
				{ value: "Tenure Band", label: __("Tenure Band") },
				{ value: "Month", label: __("Month") },
			],
			default: "Territory",
		},
	],
};
