// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Debt by Sales Channel"] = {
	filters: [
		churn_management.report_filters.company({ reqd: 1 }),
		churn_management.report_filters.from_date(12),
		churn_management.report_filters.to_date(),
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
