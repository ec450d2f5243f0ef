// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Recalculation Application", {
	setup(frm) {
		frm.set_query("sales_invoice", () => ({
			filters: { customer: frm.doc.customer || "", company: frm.doc.company || "", docstatus: 1, is_return: 0 },
		}));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.set_intro(__("The Retention Head approves the recalculation by submitting it: that drafts the credit note."));
		}
	},
});
