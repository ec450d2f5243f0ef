// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Suspension Application", {
	setup(frm) {
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "" },
		}));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__("Submitting approves the pause: the subscription stops invoicing on the first day and resumes by itself the day after the last one.")
			);
		}
		if (frm.doc.docstatus === 1 && ["Scheduled", "Paused"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Resume Early"), () =>
				frappe.new_doc("Resumption Application", {
					suspension_application: frm.doc.name,
					resume_on: frappe.datetime.get_today(),
				})
			);
		}
	},
});
