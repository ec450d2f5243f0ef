// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Tariff Change Application", {
	setup(frm) {
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "", company: frm.doc.company || "" },
		}));
	},

	refresh(frm) {
		if (frm.doc.is_downgrade) {
			frm.dashboard.set_headline_alert(
				__("A cheaper plan: the customer counts as pre-churn until {0} and the retention team gets a prevention task.", [
					frappe.datetime.str_to_user(frm.doc.pre_churn_until),
				]),
				"orange"
			);
		}
	},
});
