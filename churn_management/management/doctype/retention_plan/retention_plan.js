// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Retention Plan", {
	refresh(frm) {
		if (frm.doc.docstatus !== 0 || frm.is_new()) return;
		frm.add_custom_button(__("Generate"), () => {
			frappe.prompt(
				[
					{
						fieldname: "overwrite",
						fieldtype: "Check",
						label: __("Overwrite the figures changed by hand"),
					},
				],
				(values) =>
					frm.call({
						doc: frm.doc,
						method: "generate",
						args: { overwrite: values.overwrite },
						freeze: true,
						freeze_message: __("Generating the plan from the history..."),
						callback: () => frm.reload_doc(),
					}),
				__("Generate the plan again"),
				__("Generate")
			);
		});
	},
});
