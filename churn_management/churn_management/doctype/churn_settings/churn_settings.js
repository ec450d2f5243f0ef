// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Churn Settings", {
	setup(frm) {
		frm.set_query("non_payment_reason", () => ({ filters: { is_group: 0 } }));
	},

	refresh(frm) {
		frm.add_custom_button(__("Load classifier preset"), () => {
			frappe.prompt(
				[
					{
						fieldname: "vertical",
						fieldtype: "Select",
						label: __("Vertical"),
						options: ["Security monitoring", "Internet & cable TV", "Fitness club"],
						default: frm.doc.vertical || "Security monitoring",
						reqd: 1,
					},
					{
						fieldname: "language",
						fieldtype: "Select",
						label: __("Language"),
						options: ["English", "Russian"],
						default: frm.doc.preset_language || "English",
						reqd: 1,
					},
				],
				(values) => {
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
				},
				__("Load classifier preset"),
				__("Load")
			);
		});
		frm.add_custom_button(__("Reason Classifier"), () => frappe.set_route("Tree", "Churn Reason"));
	},
});
