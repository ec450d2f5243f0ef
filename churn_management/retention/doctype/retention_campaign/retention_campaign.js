// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Campaign", {
	setup(frm) {
		frm.set_query("churn_reason", "reasons", () => ({ filters: { is_group: 0 } }));
		frm.set_query("retention_method", "methods", () => ({ filters: { enabled: 1 } }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		if (!frm.doc.tasks_created) {
			frm.add_custom_button(__("Create Tasks"), () =>
				frm.call("create_tasks").then(({ message }) => {
					frappe.show_alert({ message: __("{0} tasks created", [message]), indicator: "green" });
					frm.reload_doc();
				})
			);
		} else {
			frm.add_custom_button(__("Measure Conversion"), () =>
				frm.call("measure").then(() => frm.reload_doc())
			);
			frm.add_custom_button(__("Tasks"), () =>
				frappe.set_route("List", "Retention Task", { retention_campaign: frm.doc.name })
			);
		}
		if ((frm.doc.results || []).length) {
			frm.add_custom_button(__("Write into the Classifier"), () =>
				frappe.confirm(
					__("Replace the planned conversion of these reasons and methods by the measured one?"),
					() =>
						frm.call("apply_to_classifier").then(({ message }) =>
							frappe.show_alert({
								message: __("{0} reasons updated", [message]),
								indicator: "green",
							})
						)
				)
			);
		}
	},
});
