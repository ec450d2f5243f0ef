// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.treeview_settings["Churn Reason"] = {
	breadcrumb: "Churn Management",
	title: __("Reason Classifier"),
	get_tree_root: false,
	root_label: "All Churn Reasons",
	get_tree_nodes: "frappe.desk.treeview.get_children",
	add_tree_node: "frappe.desk.treeview.add_node",
	ignore_fields: ["parent_churn_reason"],
	fields: [
		{ fieldtype: "Data", fieldname: "reason_name", label: __("Reason"), reqd: true },
		{
			fieldtype: "Check",
			fieldname: "is_group",
			label: __("Is Group"),
			description: __("Groups hold reasons; applications are classified with reasons only."),
		},
		{ fieldtype: "Check", fieldname: "managed", label: __("Managed") },
		{ fieldtype: "Percent", fieldname: "target_share", label: __("Target share of total churn") },
	],
	onload(treeview) {
		treeview.make_tree();
	},
};
