// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Churn Record"] = {
	add_fields: ["status", "churn_kind"],
	get_indicator(doc) {
		if (doc.status === "Won Back") return [__("Won Back"), "green", "status,=,Won Back"];
		if (doc.churn_kind === "Involuntary") return [__("Non-payment"), "red", "churn_kind,=,Involuntary"];
		return [__("Open"), "orange", "status,=,Open"];
	},
};
