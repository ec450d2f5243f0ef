// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Task", {
	setup(frm) {
		frm.set_query("churn_reason", () => ({ filters: { is_group: 0 } }));
		frm.set_query("retention_method", () => ({ filters: { enabled: 1 } }));
		frm.set_query("subscription", () => ({
			filters: { party_type: "Customer", party: frm.doc.customer || "" },
		}));
	},

	refresh(frm) {
		render_call_guide(frm);
		if (frm.doc.status === "Waiting" && !frm.is_new()) {
			frm.set_intro(
				__("This task waits for a retention manager with free time; the daily job hands it out, highest value first.")
			);
			if (frappe.user.has_role("Retention Head")) {
				frm.add_custom_button(__("Hand Out Now"), () =>
					frm.call("release").then(() => frm.reload_doc())
				);
			}
		}
		if (frm.doc.status !== "Closed" && !frm.is_new()) {
			frm.add_custom_button(__("Pause Instead"), () =>
				frappe.new_doc("Suspension Application", {
					customer: frm.doc.customer,
					company: frm.doc.company,
					subscription: frm.doc.subscription,
					source: "Retention offer",
					retention_task: frm.doc.name,
				})
			);
		}
		if (frm.doc.planned_method && !frm.doc.retention_method && frm.doc.status !== "Closed") {
			frm.dashboard.set_headline(
				__("Testing phase: offer this customer {0}.", [frm.doc.planned_method.bold()])
			);
		}
	},

	churn_reason(frm) {
		render_call_guide(frm);
	},

	outcome(frm) {
		if (frm.doc.outcome === "Returned" && !frm.doc.retention_method && frm.doc.planned_method) {
			frm.set_value("retention_method", frm.doc.planned_method);
		}
	},
});

function render_call_guide(frm) {
	const methods = frm.get_field("methods_html");
	const speech = frm.get_field("speech_html");
	if (!frm.doc.churn_reason || frm.is_new()) {
		methods.$wrapper.html("");
		speech.$wrapper.html("");
		return;
	}
	frappe
		.call({
			method: "churn_management.retention.doctype.retention_task.retention_task.get_call_guide",
			args: { task: frm.doc.name },
		})
		.then(({ message }) => {
			const esc = frappe.utils.escape_html;
			const rows = (message.methods || [])
				.map(
					(m) => `<tr><td>${esc(m.retention_method)}</td><td>${esc(__(m.offer_type || "", null, "Retention Method"))}</td>
					<td class="text-right">${format_currency(m.cost || 0)}</td>
					<td class="text-right">${m.planned_conversion || 0}%</td></tr>`
				)
				.join("");
			methods.$wrapper.html(
				rows
					? `<table class="table table-bordered table-sm"><thead><tr><th>${__("Method")}</th><th>${__(
							"Offer"
					  )}</th><th>${__("Cost")}</th><th>${__("Planned Conversion")}</th></tr></thead><tbody>${rows}</tbody></table>`
					: `<p class="text-muted">${__("No methods are set for this reason yet.")}</p>`
			);
			const steps = (message.steps || [])
				.map(
					(s, i) =>
						`<li><b>${esc(__(s.step_type, null, "Speech Module Step"))}${s.title ? ": " + esc(s.title) : ""}</b><br>${esc(
							s.text || ""
						)}</li>`
				)
				.join("");
			const never = message.never_say
				? `<div class="alert alert-warning"><b>${__("Never say to a conflict customer")}</b><br>${esc(
						message.never_say
				  )}</div>`
				: "";
			speech.$wrapper.html(
				message.speech_module
					? `<h5>${esc(message.speech_module)}</h5><ol>${steps}</ol>${never}`
					: `<p class="text-muted">${__("No speech module for this reason group yet.")}</p>`
			);
		});
}
