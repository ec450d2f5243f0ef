# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Sending a survey: the customers its filters choose (set-based), one personal link each, e-mailed through
Frappe's e-mail queue. Customers who have a link of the survey already are left out, so sending twice makes
no second link."""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from churn_management.customer_service.survey_links import expiry_from_now, link_url, new_token

SEND_NOW_UP_TO = 200
RUNNING = ("Cancelled", "Completed")


def survey_customers(survey) -> list[dict]:
	"""Enabled customers with a running subscription in the survey's company, narrowed by its filters (a
	territory or customer group with everything under it), without a link of the survey yet."""
	customer = frappe.qb.DocType("Customer")
	subscription = frappe.qb.DocType("Subscription")
	query = (
		frappe.qb.from_(customer)
		.join(subscription)
		.on((subscription.party_type == "Customer") & (subscription.party == customer.name))
		.select(customer.name.as_("customer"), customer.email_id.as_("email"), customer.language)
		.distinct()
		.where(
			(customer.disabled == 0)
			& (subscription.company == survey.company)
			& subscription.status.notin(RUNNING)
		)
	)
	for field, doctype in (("territory", "Territory"), ("customer_group", "Customer Group")):
		if survey.get(field):
			within = [survey.get(field), *frappe.db.get_descendants(doctype, survey.get(field))]
			query = query.where(customer[field].isin(within))
	if survey.churn_status:
		query = query.where(customer.churn_status == survey.churn_status)
	if survey.tariff:
		detail = frappe.qb.DocType("Subscription Plan Detail")
		query = (
			query.join(detail)
			.on((detail.parent == subscription.name) & (detail.parenttype == "Subscription"))
			.where(detail.plan == survey.tariff)
		)
	invitation = frappe.qb.DocType("Survey Invitation")
	has_link = frappe.qb.from_(invitation).select(invitation.customer).where(invitation.survey == survey.name)
	return query.where(customer.name.notin(has_link)).orderby(customer.name).run(as_dict=True)


def send_invitations(survey: str) -> int:
	"""One link per chosen customer; the e-mail (where the customer has an address) goes to the queue."""
	doc = frappe.get_doc("Satisfaction Survey", survey)
	made = 0
	for row in survey_customers(doc):
		token, token_hash = new_token()
		invitation = frappe.get_doc(
			{
				"doctype": "Survey Invitation",
				"survey": doc.name,
				"customer": row.customer,
				"company": doc.company,
				"email": row.email,
				"status": "Sent" if row.email else "No E-mail",
				"expires_on": expiry_from_now(cint(doc.validity_days)),
				"token_hash": token_hash,
			}
		).insert(ignore_permissions=True)
		if row.email:
			_email_link(doc, invitation, link_url(token, row.language))
		made += 1
	frappe.db.set_value(
		"Satisfaction Survey",
		doc.name,
		{"links_sent": frappe.db.count("Survey Invitation", {"survey": doc.name}), "sent_on": now_datetime()},
		update_modified=False,
	)
	return made


def _email_link(survey, invitation, url: str) -> None:
	frappe.sendmail(
		recipients=[invitation.email],
		subject=survey.survey_title,
		message=_(
			"Hello! Please tell us how we are doing: {0}. It takes a minute. The link is personal, works once and until {1}."
		).format(
			f'<a href="{url}">{frappe.utils.escape_html(survey.survey_title)}</a>',
			frappe.utils.format_datetime(invitation.expires_on),
		),
		reference_doctype=invitation.doctype,
		reference_name=invitation.name,
	)
