// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Outage", {
	refresh(frm) {
		if (frm.doc.status === "Closed" && !frm.is_dirty()) {
			frm.add_custom_button(__("Recalculation Applications"), () =>
				frappe.set_route("List", "Recalculation Application", { service_outage: frm.doc.name })
			);
		}
	},
});
