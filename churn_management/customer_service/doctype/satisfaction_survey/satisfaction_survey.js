// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status === "Closed" || !frm.perm[0].write) return;
		frm.add_custom_button(__("Send Personal Links"), () => {
			frappe.confirm(
				__("E-mail a personal link to every customer the filters choose who has none yet?"),
				() =>
					frm.call("send").then((r) => {
						if (r.message) {
							frappe.show_alert({
								message: __("{0} personal links made", [r.message]),
								indicator: "green",
							});
						}
						frm.reload_doc();
					})
			);
		});
		if (frm.doc.status === "Sent") {
			frm.add_custom_button(__("Close Survey"), () => frm.call("close").then(() => frm.reload_doc()));
		}
	},
});
