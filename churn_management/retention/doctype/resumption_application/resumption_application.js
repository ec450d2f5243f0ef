// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Resumption Application", {
	setup(frm) {
		frm.set_query("suspension_application", () => ({
			filters: { docstatus: 1, status: ["in", ["Scheduled", "Paused"]] },
		}));
	},
});
