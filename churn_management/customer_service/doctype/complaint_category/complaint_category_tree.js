// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.treeview_settings["Complaint Category"] = {
	breadcrumb: "Customer Service",
	title: __("Complaint Categories"),
	get_tree_root: false,
	root_label: "All Complaint Categories",
	get_tree_nodes: "frappe.desk.treeview.get_children",
	add_tree_node: "frappe.desk.treeview.add_node",
	ignore_fields: ["parent_complaint_category"],
	fields: [
		{ fieldtype: "Data", fieldname: "category_name", label: __("Category"), reqd: true },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group") },
		{
			fieldtype: "Int",
			fieldname: "unresolved_days",
			label: __("Days Until Escalation"),
			description: __("Empty: the parent category's days."),
		},
	],
	onload(treeview) {
		treeview.make_tree();
	},
};
