// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

const AC_METHOD = "churn_management.customer_service.doctype.annual_contract.annual_contract";

frappe.ui.form.on("Annual Contract", {
	setup(frm) {
		frm.set_query("subscription", () => ({
			filters: {
				party_type: "Customer",
				party: frm.doc.customer || "",
				company: frm.doc.company || "",
				status: ["not in", ["Cancelled", "Completed"]],
			},
		}));
		frm.set_query("bonus_card_type", () => ({ filters: { disabled: 0, company: frm.doc.company || "" } }));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__(
					"The customer prepays twelve months less the discount. On submit the invoice is made and the subscription bills nothing more until the contract ends."
				)
			);
		}
		if (frm.doc.docstatus === 1 && !frm.doc.renewed_by && frm.doc.status !== "Renewed" && frm.perm[0].write) {
			frm.add_custom_button(__("Renew"), () =>
				frm.call("renew").then(({ message }) => message && frappe.set_route("Form", "Annual Contract", message))
			);
		}
		if (frm.doc.sales_invoice) {
			frm.add_custom_button(__("Sales Invoice"), () => frappe.set_route("Form", "Sales Invoice", frm.doc.sales_invoice), __("View", null, "Annual Contract"));
		}
	},

	subscription(frm) {
		if (!frm.doc.subscription) return;
		frappe.call(`${AC_METHOD}.get_term`, { subscription: frm.doc.subscription }).then(({ message }) => {
			if (!message) return;
			frm.set_value("start_date", message.start_date);
			frm.set_value("end_date", message.end_date);
		});
	},
});
