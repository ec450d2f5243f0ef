// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// a preset stage reads in the user's language under its own context ("Lapsed" is not an invoice's "overdue")
frappe.form.link_formatters["Lifecycle Stage"] = (value) => (value ? __(value, null, "Lifecycle Stage") : value);

frappe.listview_settings["Club Membership"] = {
	add_fields: ["status", "at_risk", "lifecycle_stage"],
	get_indicator(doc) {
		if (doc.at_risk && ["Active", "Frozen"].includes(doc.status)) {
			return [__("At Risk"), "red", "at_risk,=,1"];
		}
		const colors = { Active: "green", Frozen: "blue", Expired: "gray", Renewed: "purple", Cancelled: "red" };
		return [__(doc.status, null, "Club Membership"), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
