// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// The filters the app's query reports share, defined once: each report's .js lists them by calling
// churn_management.report_filters.<name>(...), which returns a fresh filter definition.
frappe.provide("churn_management.report_filters");

Object.assign(churn_management.report_filters, {
	company({ reqd = 0 } = {}) {
		const filter = {
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		};
		if (reqd) filter.reqd = 1;
		return filter;
	},
	from_date(months_back) {
		return {
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -months_back),
		};
	},
	to_date(days_ahead = 0) {
		return {
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: days_ahead
				? frappe.datetime.add_days(frappe.datetime.get_today(), days_ahead)
				: frappe.datetime.get_today(),
		};
	},
	user(fieldname, label) {
		return { fieldname: fieldname, label: label, fieldtype: "Link", options: "User" };
	},
	periodicity(options, default_value) {
		return {
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: options,
			default: default_value,
		};
	},
	club() {
		return { fieldname: "club", label: __("Club"), fieldtype: "Link", options: "Branch" };
	},
	reason_group() {
		return {
			fieldname: "reason_group",
			label: __("Reason Group"),
			fieldtype: "Link",
			options: "Churn Reason",
			get_query: () => ({ filters: { is_group: 1 } }),
		};
	},
	task_type() {
		return {
			fieldname: "task_type",
			label: __("Task Type"),
			fieldtype: "Select",
			options: ["", "Win-back", "Prevention", "Reason call", "Renewal", "Reactivation", "Equipment return"],
		};
	},
	// the management churn reports: company, period, territory, customer type, tariff, then their own
	management(extra = []) {
		return [
			this.company({ reqd: 1 }),
			Object.assign(this.from_date(12), { reqd: 1 }),
			Object.assign(this.to_date(), { reqd: 1 }),
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
	},
});
