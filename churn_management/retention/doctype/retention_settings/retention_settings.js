// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Load Task Rules of the Vertical"), () =>
			frm.call("load_task_rules").then(({ message }) => {
				frappe.show_alert({ message: __("{0} task rules created", [message]), indicator: "green" });
			})
		);
		if (frm.doc.assignment_rule) {
			frm.add_custom_button(__("Who Gets Tasks"), () =>
				frappe.set_route("Form", "Assignment Rule", frm.doc.assignment_rule)
			);
		}
	},
});
