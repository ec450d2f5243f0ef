# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The site's side of the browser check of the online request form (tools/check-contract-form).

Run on a test site only: ``bench --site SITE execute churn_management.tests.contract_form_data.<fn>``.
"""

import frappe

from churn_management.tests.utils import make_customer, make_subscription

CUSTOMER = "Web Form Customer"
EMAIL = "web.form.customer@walk.test"


def make_form_customer() -> dict:
	"""A customer with an e-mail and a running subscription, and no request or draft of the web yet."""
	if not frappe.conf.get("allow_tests") and not frappe.conf.get("walk_site"):
		frappe.throw("The form check's data goes only on a site with allow_tests or walk_site set.")
	customer = make_customer(CUSTOMER)
	frappe.db.set_value("Customer", customer, "email_id", EMAIL)
	if not frappe.db.exists("Subscription", {"party": customer, "status": ("!=", "Cancelled")}):
		make_subscription(customer)
	for doctype in ("Termination Application", "Suspension Application"):
		for name in frappe.get_all(
			doctype, {"customer": customer, "channel": "Website", "docstatus": 0}, pluck="name"
		):
			frappe.delete_doc(doctype, name, ignore_permissions=True)
	frappe.db.delete("Online Request", {"customer_id": ("in", [customer, f"{customer} (wrong)"])})
	frappe.db.commit()  # nosemgrep: the browser reads what this made
	return {"customer": customer, "email": EMAIL}


def process_received() -> list[dict]:
	"""What the background worker does with the requests the form saved; returns each outcome."""
	from churn_management.customer_service.jobs.online_requests import process_online_request

	names = frappe.get_all("Online Request", {"status": "Received"}, pluck="name", order_by="creation asc")
	for name in names:
		process_online_request(name)
	return frappe.get_all(
		"Online Request",
		filters={"name": ("in", names or [""])},
		fields=["customer_id", "email", "request_type", "status", "application_doctype", "application"],
		order_by="creation asc",
	)


def application_of(doctype: str, name: str) -> dict:
	"""The drafted application as the desk sees it."""
	fields = ["name", "docstatus", "customer", "channel"]
	return frappe.db.get_value(doctype, name, fields, as_dict=True) or {}
