// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// a preset stage reads in the user's language under its own context ("Lapsed" is not an invoice's "overdue")
frappe.form.link_formatters["Lifecycle Stage"] = (value) => (value ? __(value, null, "Lifecycle Stage") : value);

frappe.ui.form.on("Club Membership", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call("churn_management.clubs.doctype.club_membership.club_membership.get_due_now", {
				membership: frm.doc.name,
			})
			.then(({ message }) => render_due_now(frm, message));
	},
});

function render_due_now(frm, data) {
	const wrapper = frm.get_field("due_now_html").$wrapper;
	if (!data || !data.stage) {
		wrapper.html(`<p class="text-muted">${__("No lifecycle stage yet: the nightly segmentation sets it.")}</p>`);
		return;
	}
	const steps = (data.steps || [])
		.map(
			(s) => `<li><b>${frappe.utils.escape_html(s.actions || "")}</b><br>
			${__("Communications")}: ${frappe.utils.escape_html(s.communications || "")}<br>
			${__("Responsible Role")}: ${frappe.utils.escape_html(s.responsible_role || "")}
			${s.emotion ? `<br>${__("Emotion Aimed At")}: ${frappe.utils.escape_html(s.emotion)}` : ""}</li>`
		)
		.join("");
	wrapper.html(
		`<p>${__("Stage {0}, day {1} in it.", [
			frappe.utils.escape_html(__(data.stage, null, "Lifecycle Stage")),
			data.days_in_stage,
		])}</p>` +
			(steps ? `<ul>${steps}</ul>` : `<p class="text-muted">${__("Nothing due now by the standard.")}</p>`)
	);
}
