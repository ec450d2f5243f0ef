// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Churn Settings", {
	setup(frm) {
		frm.set_query("non_payment_reason", () => ({ filters: { is_group: 0 } }));
	},

	refresh(frm) {
		frm.add_custom_button(__("Reason Classifier"), () => frappe.set_route("Tree", "Churn Reason"));
		if (!frm.perm[0]?.write) return;
		frm.add_custom_button(__("Load classifier preset"), () => ask_for_preset(frm));
	},
});

function ask_for_preset(frm) {
	frappe.prompt(
		[
			{
				fieldname: "vertical",
				fieldtype: "Select",
				label: __("Vertical"),
				options: [
					{ value: "Security monitoring", label: __("Security monitoring") },
					{ value: "Internet & cable TV", label: __("Internet & cable TV") },
					{ value: "Fitness club", label: __("Fitness club") },
				],
				default: frm.doc.vertical || "Security monitoring",
				reqd: 1,
			},
			{
				fieldname: "language",
				fieldtype: "Select",
				label: __("Language"),
				options: [
					{ value: "English", label: __("English") },
					{ value: "Russian", label: __("Russian") },
				],
				default: frm.doc.preset_language || "English",
				reqd: 1,
			},
		],
		(values) => confirm_preset(frm, values),
		__("Load classifier preset"),
		__("Next")
	);
}

function confirm_preset(frm, values) {
	frm.call({ doc: frm.doc, method: "preview_classifier_preset", args: values }).then(({ message }) => {
		const lines = Object.entries(message || {}).map(
			([doctype, counts]) =>
				`<tr><td>${__(doctype)}</td><td>${counts.create || 0}</td><td>${counts.exists || 0}</td></tr>`
		);
		frappe.confirm(
			`<p>${__(
				"Loading adds only what is missing; rows that exist stay exactly as they are, even when renamed."
			)}</p><table class="table table-bordered"><tr><th></th><th>${__("Will be created")}</th><th>${__(
				"Exist, kept as they are"
			)}</th></tr>${lines.join("")}</table>`,
			() => load_preset(frm, values)
		);
	});
}

function load_preset(frm, values) {
	frm.call({
		doc: frm.doc,
		method: "load_classifier_preset",
		args: values,
		freeze: true,
		freeze_message: __("Loading the classifier..."),
	}).then(({ message }) => {
		const lines = Object.entries(message || {})
			.filter(([key]) => key !== "non_payment_reason")
			.map(([doctype, count]) => `${__(doctype)}: ${count}`);
		frappe.msgprint({
			title: __("Classifier preset loaded"),
			message: lines.length
				? __("Created") + "<br>" + lines.join("<br>")
				: __("Everything in the preset already existed; nothing was changed."),
			indicator: "green",
		});
		frm.reload_doc();
	});
}
