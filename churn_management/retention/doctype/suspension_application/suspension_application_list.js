// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Suspension Application"] = {
	add_fields: ["status", "came_back"],
	get_indicator(doc) {
		const colors = {
			Requested: "orange",
			Scheduled: "blue",
			Paused: "purple",
			Resumed: doc.came_back === "No" ? "red" : "green",
			Cancelled: "gray",
		};
		return [__(doc.status, null, "Suspension Application"), colors[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
