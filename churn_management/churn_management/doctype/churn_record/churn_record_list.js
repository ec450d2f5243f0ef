// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Churn Record"] = {
	add_fields: ["status", "churn_kind"],
	get_indicator(doc) {
		if (doc.status === "Won Back") return [__("Won Back"), "green", "status,=,Won Back"];
		if (doc.status === "Returned by Payment")
			return [__("Returned by Payment"), "green", "status,=,Returned by Payment"];
		if (doc.churn_kind === "Involuntary") return [__("Non-payment"), "red", "churn_kind,=,Involuntary"];
		return [__("Open", null, "Churn Record"), "orange", "status,=,Open"];
	},
	onload(listview) {
		frappe
			.call("churn_management.churn_management.doctype.churn_record.churn_record.get_reason_coverage")
			.then(({ message }) => {
				if (!message || message.coverage === null) return;
				const color = message.coverage >= message.target ? "green" : "orange";
				listview.page.set_indicator(
					__("Reason coverage {0}% (target {1}%)", [message.coverage, message.target]),
					color
				);
			});
	},
};
