// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Relocation Application", {
	setup(frm) {
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "", company: frm.doc.company || "" },
		}));
		frm.set_query("current_address", () => ({
			query: "frappe.contacts.doctype.address.address.address_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer || "" },
		}));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.set_intro(
				frm.doc.inside_coverage
					? __("Inside the coverage area: submitting moves the service to the new address.")
					: __("Outside the coverage area: submitting drafts a termination application.")
			);
		}
	},
});
