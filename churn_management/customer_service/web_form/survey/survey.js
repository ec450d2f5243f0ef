// The personal survey page: the token from the link goes with the answer; the survey's own questions are
// filled in; a used, expired or unknown link shows why and hides the form.
frappe.ready(function () {
	const survey = {{ survey_link | json }};
	const token = new URLSearchParams(window.location.search).get("token") || "";

	if (survey.error) {
		$(".web-form-body, .web-form-footer, .web-form-actions").addClass("hide");
		$(".web-form-introduction").addClass("text-danger");
		return;
	}
	frappe.web_form.set_value("token", token);
	frappe.web_form.set_df_property("score", "label", survey.score_question);
	const answers = survey.questions.map((question) => ({ question: question, answer: "" }));
	if (answers.length) {
		frappe.web_form.set_value("answers", answers);
	} else {
		frappe.web_form.set_df_property("answers", "hidden", 1);
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
