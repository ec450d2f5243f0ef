// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Bonus Card"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colours = { Active: "green", Blocked: "red", Expired: "gray" };
		return [__(doc.status, null, "Bonus Card"), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
