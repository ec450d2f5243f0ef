// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Survey Response", {
	survey(frm) {
		if (!frm.doc.survey || (frm.doc.answers || []).length) return;
		frappe.db.get_doc("Satisfaction Survey", frm.doc.survey).then((survey) => {
			(survey.questions || []).forEach((row) => {
				frm.add_child("answers", { question: row.question });
			});
			frm.refresh_field("answers");
		});
	},
});
