// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Lifecycle Standard", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Learn At-Risk Days From History"), () =>
			frm.call("learn_at_risk_days").then(({ message }) => {
				frm.reload_doc();
				frappe.show_alert({ message: __("At-risk days: {0}", [message]), indicator: "green" });
			})
		);
	},
});
