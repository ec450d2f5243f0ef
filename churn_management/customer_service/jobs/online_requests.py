# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Turns a customer's online request into a draft application for the desk.

Runs in the background after the web form saved the request (see online_request.py): checks that
the customer id and the e-mail belong together, and drafts a Termination or Suspension Application
with the channel "Website". Never submits it: ending or pausing stays the desk's decision. A request
repeated while the first one's draft waits for the desk links to that draft instead of a second.
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, getdate, now_datetime, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import active_subscriptions

APPLICATION_DOCTYPES = {
	"End the contract": "Termination Application",
	"Pause the contract": "Suspension Application",
}
# a request repeated within this time, while the first one's draft is still a draft, is a duplicate
DUPLICATE_WINDOW_HOURS = 24


class NothingToPauseError(frappe.ValidationError):
	pass


def process_online_request(name: str) -> None:
	"""Match the customer, then draft the application or mark why not; idempotent."""
	frappe.set_user("Administrator")
	request = frappe.get_doc("Online Request", name)
	if request.status != "Received":
		return
	customer = matching_customer(request.customer_id, request.email)
	if not customer:
		finish(request, "Not Matched")
		return
	frappe.db.get_value("Customer", customer, "name", for_update=True)  # one request of a customer at a time
	request.customer = customer
	doctype = APPLICATION_DOCTYPES[request.request_type]
	earlier = waiting_draft(request, customer, doctype)
	if earlier:
		finish(request, "Duplicate", doctype, earlier)
		return
	frappe.db.savepoint("online_request")
	try:
		application = draft_application(request, customer, doctype)
	except frappe.ValidationError:
		frappe.db.rollback(save_point="online_request")
		finish(request, "Needs Review", note=last_message())
		return
	finish(request, "Draft Made", doctype, application)


def matching_customer(customer_id: str, email: str) -> str | None:
	"""The customer when the e-mail is the customer's own or one of their contacts', else None."""
	if not customer_id or not email:
		return None
	customer = frappe.db.get_value("Customer", {"name": customer_id, "disabled": 0}, ["name", "email_id"])
	if not customer:
		return None
	if (customer[1] or "").strip().lower() == email:
		return customer[0]
	contact_email = frappe.qb.DocType("Contact Email")
	link = frappe.qb.DocType("Dynamic Link")
	found = (
		frappe.qb.from_(contact_email)
		.join(link)
		.on((link.parent == contact_email.parent) & (link.parenttype == "Contact"))
		.select(contact_email.email_id)
		.where(
			(link.link_doctype == "Customer")
			& (link.link_name == customer[0])
			& (contact_email.email_id == email)
		)
		.limit(1)
		.run()
	)
	return customer[0] if found else None


def waiting_draft(request, customer: str, doctype: str) -> str | None:
	"""The draft an earlier request of the same customer and kind made, while the desk has not acted."""
	earlier = frappe.qb.DocType("Online Request")
	application = frappe.qb.DocType(doctype)
	rows = (
		frappe.qb.from_(earlier)
		.join(application)
		.on(application.name == earlier.application)
		.select(earlier.application)
		.where(
			(earlier.customer == customer)
			& (earlier.application_doctype == doctype)
			& (earlier.name != request.name)
			& (earlier.creation >= add_to_date(now_datetime(), hours=-DUPLICATE_WINDOW_HOURS))
			& (application.docstatus == 0)
		)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def draft_application(request, customer: str, doctype: str) -> str:
	"""A draft Termination or Suspension Application, as the desk would fill it from the request."""
	subscriptions = active_subscriptions(customer)
	company = customer_company(subscriptions)
	start = max(getdate(request.desired_date), getdate(nowdate()))
	values = {"doctype": doctype, "customer": customer, "company": company, "application_date": nowdate()}
	if doctype == "Termination Application":
		values.update(
			effective_date=start,
			channel="Website",
			handled_by=None,
			customer_words=request.reason,
			subscriptions=[
				{
					"subscription": s["subscription"],
					"monthly_revenue": s["monthly_revenue"],
					"end_subscription": 1,
				}
				for s in subscriptions
				if frappe.db.get_value("Subscription", s["subscription"], "company") == company
			],
		)
	else:
		if not subscriptions:
			frappe.throw(_("The customer has no running subscription to pause."), NothingToPauseError)
		values.update(
			subscription=subscriptions[0]["subscription"],
			from_date=start,
			to_date=request.pause_until or start,
			reason=request.reason,
			source="Customer",
			channel="Website",
		)
	application = frappe.get_doc(values)
	application.insert(ignore_permissions=True)
	return application.name


def customer_company(subscriptions: list[dict]) -> str | None:
	"""The company of the customer's first running subscription, else the app's default company."""
	for row in subscriptions:
		company = frappe.db.get_value("Subscription", row["subscription"], "company")
		if company:
			return company
	return frappe.db.get_single_value(
		"Churn Settings", "default_company"
	) or frappe.defaults.get_global_default("company")


def finish(request, status: str, doctype: str | None = None, application: str | None = None, note=None):
	"""Record the outcome on the request and keep it, whatever comes next in the queue."""
	request.update(
		{
			"status": status,
			"application_doctype": doctype,
			"application": application,
			"note": note,
			"processed_on": now_datetime(),
		}
	)
	if status == "Not Matched":
		request.customer = None
	request.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: a job commits each request it handled


def last_message() -> str:
	"""The validation message that stopped the draft, for the desk to read, taken off the message log."""
	messages = [frappe.parse_json(m).get("message") for m in frappe.local.message_log or []]
	frappe.clear_messages()
	return frappe.utils.strip_html(messages[-1]) if messages else ""
