// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Debt Stage"] = frappe.listview_settings["Debt Stage"] || {};

frappe.ui.form.on("Debt Stage", {
	refresh(frm) {
		frm.set_query("dunning_type", () => ({ filters: {} }));
		frm.set_query("notification", () => ({ filters: { document_type: "Debt Case" } }));
	},
});
