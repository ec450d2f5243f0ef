// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.query_reports["Lifecycle Segmentation"] = {
	filters: [
		{ fieldname: "date", label: __("Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "club", label: __("Club"), fieldtype: "Link", options: "Branch" },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Department" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Stage", "Club", "Department"],
			default: "Stage",
		},
	],
};
