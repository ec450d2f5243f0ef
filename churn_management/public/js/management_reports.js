// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// The filters every management churn report shares: company, period, territory, customer type, tariff.
frappe.provide("churn_management.management");

churn_management.management.filters = (extra = []) => [
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
		reqd: 1,
		default: frappe.datetime.month_start(frappe.datetime.add_months(frappe.datetime.get_today(), -12)),
	},
	{
		fieldname: "to_date",
		label: __("To Date"),
		fieldtype: "Date",
		reqd: 1,
		default: frappe.datetime.get_today(),
	},
	{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
	{
		fieldname: "customer_type",
		label: __("Customer Type"),
		fieldtype: "Select",
		options: ["", "B2B", "B2C"],
	},
	{ fieldname: "tariff", label: __("Tariff"), fieldtype: "Link", options: "Subscription Plan" },
	...extra,
];
