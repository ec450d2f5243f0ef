// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Method", {
	refresh(frm) {
		if (frm.doc.speech_module) {
			frm.add_custom_button(__("Open Speech Module"), () =>
				frappe.set_route("Form", "Speech Module", frm.doc.speech_module)
			);
		}
	},
});
