// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Concession Application", {
	setup(frm) {
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "", company: frm.doc.company || "" },
		}));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.set_intro(
				__("The Retention Head approves the concession by submitting it; the discount applies to the subscription for the period and ends by itself.")
			);
		}
	},
});
