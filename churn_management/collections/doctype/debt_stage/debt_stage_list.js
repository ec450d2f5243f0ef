// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Debt Stage"] = {
	onload(listview) {
		listview.page.add_inner_button(__("Load stage preset"), () => {
			frappe.prompt(
				[
					{
						fieldname: "vertical",
						fieldtype: "Select",
						label: __("Vertical"),
						options: [
							{ value: "security", label: __("Security monitoring") },
							{ value: "isp", label: __("Internet & cable TV") },
							{ value: "fitness", label: __("Fitness club") },
						],
						default: "security",
						reqd: 1,
					},
				],
				(values) =>
					frappe
						.call("churn_management.collections.doctype.debt_stage.debt_stage.load_stage_preset", values)
						.then((r) => {
							frappe.show_alert(__("{0} stages made", [r.message || 0]));
							listview.refresh();
						}),
				__("Load stage preset")
			);
		});
	},
};
