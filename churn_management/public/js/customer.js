// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.churn_status;
		const colours = { Active: "green", Overdue: "orange", "Pre-churn": "orange", Churned: "red", "Won back": "blue" };
		if (status && status !== "Active") {
			frm.dashboard.set_headline_alert(
				`<span class="indicator ${colours[status] || "gray"}">${__("Churn status")}: ${__(status, null, "Customer")}</span>`
			);
		}
		if (frappe.model.can_create("Termination Application")) {
			frm.add_custom_button(
				__("Termination Application"),
				() => frappe.new_doc("Termination Application", { customer: frm.doc.name }),
				__("Create")
			);
		}
		if (frm.doc.open_churn_record) {
			frm.add_custom_button(__("Churn Record"), () =>
				frappe.set_route("Form", "Churn Record", frm.doc.open_churn_record)
			);
		}
	},
});
