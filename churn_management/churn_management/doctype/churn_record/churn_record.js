// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Churn Record", {
	setup(frm) {
		frm.set_query("churn_reason", () => ({ filters: { is_group: 0 } }));
	},

	refresh(frm) {
		if (frm.doc.status === "Open" && !frm.is_new() && frm.perm[0]?.write) {
			frm.add_custom_button(__("Mark as Won Back"), () => {
				frappe.prompt(
					[
						{
							fieldname: "retention_method",
							fieldtype: "Link",
							options: "Retention Method",
							label: __("Won back with"),
							reqd: 1,
						},
						{
							fieldname: "won_back_date",
							fieldtype: "Date",
							label: __("Won back on"),
							default: frappe.datetime.get_today(),
							reqd: 1,
						},
					],
					(values) =>
						frm.call("mark_won_back", values).then(() => {
							frappe.show_alert({ message: __("Customer won back"), indicator: "green" });
							frm.reload_doc();
						}),
					__("Won back"),
					__("Save")
				);
			});
		}
	},
});
