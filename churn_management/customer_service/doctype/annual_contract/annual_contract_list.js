// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Annual Contract"] = {
	add_fields: ["status", "docstatus"],
	get_indicator(doc) {
		const colours = {
			Draft: "red",
			Active: "green",
			Expiring: "orange",
			Renewed: "blue",
			Lapsed: "gray",
			Cancelled: "red",
		};
		const status = doc.status || "Draft";
		return [__(status, null, "Annual Contract"), colours[status] || "gray", `status,=,${status}`];
	},
};
