// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Churn Reason", {
	setup(frm) {
		frm.set_query("parent_churn_reason", () => ({ filters: { is_group: 1 } }));
		frm.set_query("speech_module", () => ({}));
	},

	refresh(frm) {
		frm.set_intro(
			frm.doc.is_group
				? __("A reason group: staff choose one of its reasons, never the group itself.")
				: __("A leaf reason: staff record it after finding the true reason with the customer.")
		);
		if (!frm.is_new()) {
			frm.add_custom_button(__("Termination Applications"), () =>
				frappe.set_route("List", "Termination Application", { churn_reason: frm.doc.name })
			);
		}
	},
});
