// The personal survey page: the token from the link goes with the answer; the survey's own questions are
// filled in; a used, expired or unknown link shows why and hides the form.
frappe.ready(function () {
	const survey = {{ survey_link | json }};
	const token = new URLSearchParams(window.location.search).get("token") || "";

	const show_survey = () => {
		if (survey.error) {
			$(".web-form-body, .web-form-footer, .web-form-actions").addClass("hide");
			$(".web-form-introduction").addClass("text-danger");
			return;
		}
		frappe.web_form.set_value("token", token);
		frappe.web_form.set_df_property("score", "label", survey.score_question);
		// a table of a web form shows its field's data (set_value leaves a table as it is)
		const table = frappe.web_form.fields_dict.answers;
		if (survey.questions.length) {
			table.df.data = survey.questions.map((question, i) => ({ idx: i + 1, question: question }));
			Object.assign(table.df, { cannot_add_rows: 1, cannot_delete_rows: 1, allow_bulk_edit: 0 });
			table.grid.refresh();
			table.$wrapper.find(".grid-footer, .grid-row-check").addClass("hide");
		} else {
			frappe.web_form.set_df_property("answers", "hidden", 1);
		}
	};
	// the form may be drawn before or after this script runs
	if (frappe.web_form.fields_dict && frappe.web_form.fields_dict.answers) {
		show_survey();
	} else {
		frappe.web_form.after_load = show_survey;
	}
	frappe.web_form.validate = () => {
		const score = frappe.web_form.get_value("score");
		if (score === null || score === undefined || score === "" || score < 0 || score > 10 || score % 1) {
			frappe.msgprint(__("The score must be a whole number from 0 to 10."));
			return false;
		}
		return true;
	};
});
