# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The customer's survey page, opened by a personal link: the survey's questions, or why the link is refused."""

import frappe

from churn_management.customer_service.survey_links import link_context


def get_context(context):
	context.no_cache = 1
	survey = link_context(frappe.form_dict.get("token"))
	context.survey_link = survey
	if survey.get("error"):
		context.introduction_text = survey["error"]
	else:
		context.title = survey["title"]
		context.introduction_text = survey["introduction"]
	return context
