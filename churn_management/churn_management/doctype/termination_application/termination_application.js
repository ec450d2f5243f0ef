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
		show_final_bills(frm);
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

	effective_date(frm) {
		show_final_bills(frm);
	},
});

frappe.ui.form.on("Termination Subscription", {
	subscription: show_final_bills,
	end_subscription: show_final_bills,
	subscriptions_remove: show_final_bills,
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
			show_final_bills(frm);
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
	const record = context.open_churn_record;
	if (record && record.can_take_over) {
		lines.push(
			__(
				"The customer is already in the register ({0}); this application will take the record over and state its true reason.",
				[record.name]
			)
		);
	} else if (record && record.source_doctype === "Termination Application") {
		lines.push(
			__(
				"The customer was already terminated by application {0}; a second termination is not accepted.",
				[record.source_name]
			)
		);
	} else if (record) {
		lines.push(
			__(
				"The customer is already in the register of churned customers ({0}); only a churn by non-payment is taken over by a termination application.",
				[record.name]
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

function show_final_bills(frm) {
	// Before Terminate: what ERPNext will invoice when it ends each ticked subscription.
	const field = frm.get_field("final_bills_html");
	const names = (frm.doc.subscriptions || [])
		.filter((row) => row.end_subscription && row.subscription)
		.map((row) => row.subscription);
	if (!field || frm.doc.docstatus !== 0 || !frm.doc.customer || !frm.doc.company || !names.length) {
		if (field) field.$wrapper.html("");
		return;
	}
	const asked = JSON.stringify([frm.doc.customer, frm.doc.effective_date, names]);
	frm.__final_bills_asked = asked;
	frappe
		.call({
			method: `${TA_METHOD}.get_final_bills`,
			args: {
				customer: frm.doc.customer,
				company: frm.doc.company,
				effective_date: frm.doc.effective_date || frappe.datetime.get_today(),
				subscriptions: names,
			},
		})
		.then(({ message }) => {
			if (frm.__final_bills_asked !== asked) return; // the form changed meanwhile
			field.$wrapper.html(final_bills_table(frm, message || []));
		});
}

function final_bills_table(frm, bills) {
	if (!bills.length) return "";
	const esc = frappe.utils.escape_html;
	const date = (value) => (value ? frappe.datetime.str_to_user(value) : "");
	const later = frm.doc.effective_date > frappe.datetime.get_today();
	const rows = bills
		.map((bill) => {
			const notes = [];
			if (bill.bills) {
				notes.push(
					bill.prorated
						? __("Prorated to the day of ending.")
						: __("The whole period's price: Subscription Settings do not prorate.")
				);
				if (bill.taxes) notes.push(__("Taxes of {0} are added.", [esc(bill.taxes)]));
				if (bill.draft) notes.push(__("ERPNext leaves the invoice as a draft."));
			} else if (bill.note) {
				notes.push(esc(bill.note));
			}
			const problem = bill.problem
				? `<div class="text-danger">${esc(bill.problem)}</div>`
				: "";
			return `<tr>
				<td>${esc(bill.subscription)}</td>
				<td>${bill.bills ? `${date(bill.from_date)} – ${date(bill.to_date)}` : "—"}</td>
				<td>${bill.bills ? date(bill.posting_date) : ""}</td>
				<td class="text-right">${
					bill.bills ? format_currency(bill.amount, bill.currency) : __("Nothing billed")
				}</td>
				<td>${notes.join(" ")}${problem}</td>
			</tr>`;
		})
		.join("");
	const intro = later
		? __("On {0} the daily job ends these subscriptions through ERPNext, which then invoices:", [
				date(frm.doc.effective_date),
		  ])
		: __("On Terminate, ERPNext ends these subscriptions and invoices:");
	return `<p class="text-muted">${intro}</p>
		<table class="table table-bordered table-sm">
			<thead><tr>
				<th>${__("Subscription")}</th><th>${__("Period billed")}</th>
				<th>${__("Invoice date")}</th><th>${__("Amount")}</th><th>${__("Note")}</th>
			</tr></thead>
			<tbody>${rows}</tbody>
		</table>`;
}
