// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Motivation Scheme", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role("Retention Head")) return;
		frm.add_custom_button(__("Make the Month's Statements"), () => {
			frappe.prompt(
				{
					fieldname: "month",
					fieldtype: "Date",
					label: __("Month"),
					reqd: 1,
					default: frappe.datetime.add_months(frappe.datetime.get_today(), -1),
					description: __("Any day of the month; the month must have ended."),
				},
				(values) =>
					frappe
						.call("churn_management.management.api.motivation.make_month_statements", {
							scheme: frm.doc.name,
							month: values.month,
						})
						.then((r) => frappe.show_alert({ message: r.message, indicator: "blue" })),
				__("Make the Month's Statements")
			);
		});
	},
});
