// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Department Cost", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Fetch from ledger"), () =>
			frm.call({
				doc: frm.doc,
				method: "fetch_from_ledger",
				freeze: true,
				callback: () => frm.reload_doc(),
			})
		);
	},
});
