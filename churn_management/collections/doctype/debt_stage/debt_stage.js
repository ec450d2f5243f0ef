// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Debt Stage", {
	refresh(frm) {
		frm.set_query("notification", () => ({ filters: { document_type: "Debt Case" } }));
	},
});
