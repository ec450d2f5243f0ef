// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Debtors"] = {
	filters: [
		churn_management.report_filters.company({ reqd: 1 }),
		{
			fieldname: "report_date",
			label: __("As on Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		churn_management.report_filters.user("collector", __("Collector")),
		{ fieldname: "stage", label: __("Stage"), fieldtype: "Link", options: "Debt Stage" },
		{ fieldname: "only_with_case", label: __("Only with a debt case"), fieldtype: "Check" },
		{ fieldname: "exclude_disputed", label: __("Leave out disputed invoices"), fieldtype: "Check", default: 1 },
	],
};
