// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

const TA_METHOD = "churn_management.churn_management.doctype.termination_application.termination_application";

frappe.ui.form.on("Termination Application", {
	setup(frm) {
		frm.set_query("churn_reason", () => ({ filters: { is_group: 0 } }));
		frm.set_query("subscription", "subscriptions", () => ({
			filters: {
				party_type: "Customer",
				party: frm.doc.customer || "",
				status: ["not in", ["Cancelled", "Completed"]],
			},
		}));
		frm.set_query("retention_method", () => ({ filters: { enabled: 1 } }));
		frm.set_query("serial_no", "equipment", (doc, cdt, cdn) => {
			const row = locals[cdt][cdn];
			return { filters: row.item_code ? { item_code: row.item_code } : {} };
		});
	},

	onload(frm) {
		if (!frm.is_new()) return;
		const company = frm.doc.company
			? Promise.resolve()
			: frappe.call(`${TA_METHOD}.get_desk_defaults`).then(({ message }) => {
					if (message && message.company) return frm.set_value("company", message.company);
			  });
		company.then(() => {
			if (frm.doc.customer && !(frm.doc.subscriptions || []).length) load_customer_context(frm);
		});
	},

	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__(
					"Ask the customer why they are leaving and write it down in their own words. Then choose the true reason and try the method that fits it."
				)
			);
		}
		show_customer_banner(frm);
		if (frm.doc.churn_reason && frm.doc.docstatus === 0 && frm.perm[0]?.write) {
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
		frm.__customer_context = null;
		frm.clear_table("subscriptions");
		frm.refresh_field("subscriptions");
		frm.set_value("outstanding_balance", 0);
		show_customer_banner(frm);
		if (!frm.doc.customer) return;
		load_customer_context(frm);
	},

	company(frm) {
		if (frm.doc.customer) {
			frm.clear_table("subscriptions");
			frm.refresh_field("subscriptions");
			load_customer_context(frm);
		}
	},

	churn_reason(frm) {
		if (frm.doc.churn_reason) show_methods(frm);
	},
});

function load_customer_context(frm) {
	const customer = frm.doc.customer;
	frappe
		.call({
			method: `${TA_METHOD}.get_customer_context`,
			args: { customer, company: frm.doc.company },
		})
		.then(({ message }) => {
			if (frm.doc.customer !== customer) return; // the clerk picked another customer meanwhile
			frm.__customer_context = message;
			frm.set_value("outstanding_balance", message.outstanding_balance);
			if (!(frm.doc.subscriptions || []).length) {
				(message.subscriptions || []).forEach((s) => {
					frm.add_child("subscriptions", {
						subscription: s.subscription,
						tariff: s.tariff,
						monthly_revenue: s.monthly_revenue,
						end_subscription: 1,
					});
				});
				frm.refresh_field("subscriptions");
			}
			if (message.open_churn_record && message.open_churn_record.churn_kind === "Involuntary") {
				frm.set_value("churn_kind", "Involuntary");
			}
			show_customer_banner(frm);
		});
}

function show_customer_banner(frm) {
	// One headline, replaced each time: never a second banner for the same customer.
	frm.dashboard.clear_headline();
	const context = frm.__customer_context;
	if (!context || frm.doc.docstatus !== 0) return;
	const lines = [];
	if (context.churn_status && context.churn_status !== "Active") {
		lines.push(__("Churn status of this customer: {0}", [__(context.churn_status, null, "Customer")]));
	}
	if (context.open_churn_record) {
		lines.push(
			__(
				"The customer is already in the register ({0}); this application will take the record over and state its true reason.",
				[context.open_churn_record.name]
			)
		);
	}
	if (lines.length) frm.dashboard.set_headline(lines.join("<br>"), "orange");
}

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
