// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Retention Task"] = {
	add_fields: ["status", "outcome", "due_date", "priority"],
	get_indicator(doc) {
		if (doc.status === "Closed") {
			const label = __(doc.outcome || "Closed", null, "Retention Task");
			return [label, doc.outcome === "Returned" ? "green" : "gray", "status,=,Closed"];
		}
		if (doc.due_date && doc.due_date < frappe.datetime.get_today()) {
			return [__("Overdue"), "red", "status,!=,Closed"];
		}
		const colors = { Waiting: "gray", Open: "blue", "In Progress": "orange" };
		return [__(doc.status, null, "Retention Task"), colors[doc.status] || "blue", `status,=,${doc.status}`];
	},
};
