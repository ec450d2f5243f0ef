// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Motivation Statement"] = {
	get_indicator(doc) {
		if (doc.docstatus === 1) return [__("Approved", null, "Motivation Statement"), "green", "docstatus,=,1"];
		if (doc.docstatus === 2) return [__("Cancelled", null, "Motivation Statement"), "red", "docstatus,=,2"];
		return [__("Draft", null, "Motivation Statement"), "orange", "docstatus,=,0"];
	},
};
