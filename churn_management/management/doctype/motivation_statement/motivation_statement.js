// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Motivation Statement", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.set_intro(
				__("A draft is recomputed from the data on every save; the Retention Head approves it by submitting.")
			);
		}
		if (frm.doc.docstatus !== 1 || frm.doc.additional_salary || !frappe.boot.versions.hrms) return;
		if (!frappe.user.has_role(["Retention Head", "HR Manager"])) return;
		frm.add_custom_button(__("Make Additional Salary"), () =>
			frm.call("make_additional_salary").then((r) => {
				frm.reload_doc();
				frappe.set_route("Form", "Additional Salary", r.message);
			})
		);
	},
});
