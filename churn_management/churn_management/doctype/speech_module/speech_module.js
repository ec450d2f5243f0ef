// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Speech Module", {
	setup(frm) {
		frm.set_query("reason_group", () => ({ filters: { is_group: 1 } }));
	},

	refresh(frm) {
		render_script(frm);
	},

	never_say(frm) {
		render_script(frm);
	},
});

frappe.ui.form.on("Speech Module Step", {
	text: render_script,
	title: render_script,
	step_type: render_script,
	steps_remove: render_script,
});

function render_script(frm) {
	// Every step in order and in full, readable in a call without opening each row.
	const esc = (text) => frappe.utils.escape_html(text || "").replace(/\n/g, "<br>");
	const steps = (frm.doc.steps || [])
		.map(
			(step) => `<div class="mb-3">
				<div class="text-muted small">${step.idx}. ${esc(__(step.step_type, null, "Speech Module Step"))}</div>
				<div class="bold">${esc(step.title)}</div>
				<div>${esc(step.text)}</div>
			</div>`
		)
		.join("");
	const never = frm.doc.never_say
		? `<div class="alert alert-warning"><b>${__("Never say to a conflict customer")}</b><br>${esc(
				frm.doc.never_say
		  )}</div>`
		: "";
	frm.get_field("script_preview").$wrapper.html(
		steps || never ? `<div class="speech-module-script">${steps}${never}</div>` : ""
	);
}
