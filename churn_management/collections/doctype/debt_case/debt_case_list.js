// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Debt Case"] = {
	add_fields: ["status", "service_blocked", "decision"],
	get_indicator(doc) {
		if (doc.status === "Closed")
			return [__(doc.decision || "Closed", null, "Debt Case"), "green", "status,=,Closed"];
		if (doc.status === "Write-off pending") {
			return [__("Write-off pending", null, "Debt Case"), "purple", "status,=,Write-off pending"];
		}
		if (doc.service_blocked) return [__("Service blocked"), "red", "service_blocked,=,1"];
		return [__("Open", null, "Debt Case"), "orange", "status,=,Open"];
	},
};
