// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Termination Application", {
	setup(frm) {
		frm.set_query("churn_reason", () => ({ filters: { is_group: 0 } }));
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "" },
		}));
		frm.set_query("retention_method", () => ({ filters: { enabled: 1 } }));
	},

	onload(frm) {
		if (frm.is_new() && !frm.doc.company) {
			frappe.db.get_single_value("Churn Settings", "default_company").then((company) => {
				if (company) frm.set_value("company", company);
			});
		}
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__(
					"Ask the customer why they are leaving and write it down in their own words. Then choose the true reason and try the method that fits it."
				)
			);
		}
		if (frm.doc.churn_reason && frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Suggested methods"), () => show_methods(frm));
		}
		if (frm.doc.speech_module) {
			frm.add_custom_button(__("Speech Module"), () =>
				frappe.set_route("Form", "Speech Module", frm.doc.speech_module)
			);
		}
		if (frm.doc.churn_record) {
			frm.add_custom_button(__("Churn Record"), () =>
				frappe.set_route("Form", "Churn Record", frm.doc.churn_record)
			);
		}
	},

	customer(frm) {
		if (!frm.doc.customer) return;
		frappe
			.call({
				method: "churn_management.churn_management.doctype.termination_application.termination_application.get_customer_context",
				args: { customer: frm.doc.customer, company: frm.doc.company },
			})
			.then(({ message }) => {
				frm.set_value("outstanding_balance", message.outstanding_balance);
				if (message.subscription && !frm.doc.subscription) {
					frm.set_value("subscription", message.subscription);
				}
				if (message.churn_status && message.churn_status !== "Active") {
					frm.dashboard.set_headline(
						__("Churn status of this customer: {0}", [__(message.churn_status)])
					);
				}
			});
	},

	churn_reason(frm) {
		if (frm.doc.churn_reason) show_methods(frm);
	},
});

function show_methods(frm) {
	frappe.db.get_doc("Churn Reason", frm.doc.churn_reason).then((reason) => {
		const rows = (reason.methods || [])
			.map(
				(m) =>
					`<tr><td>${frappe.utils.escape_html(m.retention_method)}</td><td>${
						m.planned_conversion || 0
					}%</td></tr>`
			)
			.join("");
		if (!rows) return;
		frappe.msgprint({
			title: __("Methods that fit {0}", [reason.name]),
			message: `<table class="table table-bordered"><tr><th>${__("Method")}</th><th>${__(
				"Planned conversion"
			)}</th></tr>${rows}</table>`,
		});
	});
}
