// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Speech Module", {
	setup(frm) {
		frm.set_query("reason_group", () => ({ filters: { is_group: 1 } }));
	},
});
