# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What the customer applications share: the customer's subscription and what its plans cost a month."""

import frappe
from frappe import _
from frappe.utils import nowdate

from churn_management.analytics.customer_service.applications import monthly_price


class SubscriptionMismatchError(frappe.ValidationError):
	pass


def validate_subscription_of(doc, allow_ended: bool = False) -> None:
	"""The application's subscription is the customer's, in the application's company, and still running."""
	if not doc.get("subscription"):
		return
	values = frappe.db.get_value(
		"Subscription", doc.subscription, ["party_type", "party", "company", "status"], as_dict=True
	)
	if not values or values.party_type != "Customer" or values.party != doc.customer:
		frappe.throw(
			_("Subscription {0} does not belong to customer {1}.").format(
				frappe.bold(doc.subscription), frappe.bold(doc.customer)
			),
			SubscriptionMismatchError,
			title=_("Check the subscription"),
		)
	if values.company and values.company != doc.company:
		frappe.throw(
			_("Subscription {0} belongs to company {1}, not {2}.").format(
				frappe.bold(doc.subscription), values.company, doc.company
			),
			SubscriptionMismatchError,
			title=_("Check the subscription"),
		)
	if not allow_ended and doc.docstatus == 0 and values.status in ("Cancelled", "Completed"):
		frappe.throw(
			_("Subscription {0} has ended.").format(frappe.bold(doc.subscription)),
			SubscriptionMismatchError,
			title=_("Check the subscription"),
		)


def plan_monthly_price(plan: str) -> float:
	"""What a Subscription Plan costs per month (fixed-rate plans; others at their item's cost field)."""
	values = frappe.db.get_value(
		"Subscription Plan", plan, ["cost", "billing_interval", "billing_interval_count"], as_dict=True
	)
	if not values:
		return 0.0
	return monthly_price(values.cost, values.billing_interval, values.billing_interval_count)


def subscription_monthly_price(subscription: str) -> float:
	"""What all plans of a subscription cost per month, quantities included."""
	plans = frappe.get_all(
		"Subscription Plan Detail", filters={"parent": subscription}, fields=["plan", "qty"], order_by="idx"
	)
	return round(sum(plan_monthly_price(row.plan) * (row.qty or 1) for row in plans), 2)


def first_plan(subscription: str) -> str | None:
	return frappe.db.get_value(
		"Subscription Plan Detail",
		{"parent": subscription, "parenttype": "Subscription"},
		"plan",
		order_by="idx",
	)


def get_subscription(name: str):
	"""The Subscription to change as the desk would, on the application's behalf."""
	subscription = frappe.get_doc("Subscription", name)
	subscription.flags.ignore_permissions = True
	return subscription


def bill_once(application, item: str, amount: float, description: str) -> str:
	"""A submitted Sales Invoice dated today for a one-off charge of an application (a transfer fee)."""
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update({"customer": application.customer, "company": application.company, "set_posting_time": 1})
	invoice.posting_date = invoice.due_date = nowdate()
	invoice.append("items", {"item_code": item, "qty": 1, "rate": amount, "description": description})
	invoice.flags.ignore_permissions = True
	invoice.insert()
	invoice.submit()
	return invoice.name
