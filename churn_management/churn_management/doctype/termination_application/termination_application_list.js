// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Termination Application"] = {
	add_fields: ["outcome", "docstatus"],
	get_indicator(doc) {
		if (doc.docstatus === 2) return [__("Cancelled", null, "Termination Application"), "red", "docstatus,=,2"];
		if (doc.outcome === "Retained") return [__("Retained"), "green", "outcome,=,Retained"];
		if (doc.outcome === "Terminated" && doc.docstatus === 1)
			return [__("Terminated"), "gray", "outcome,=,Terminated"];
		if (doc.outcome === "Partially Terminated" && doc.docstatus === 1)
			return [__("Partially Terminated"), "yellow", "outcome,=,Partially Terminated"];
		if (doc.outcome === "Withdrawn")
			return [__("Withdrawn", null, "Termination Application"), "blue", "outcome,=,Withdrawn"];
		return [__("Open", null, "Termination Application"), "orange", "docstatus,=,0"];
	},
};
