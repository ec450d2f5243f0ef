# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A member's club card (DOMAIN.md §8): who, which club, which card, from when to when.

The card is sold through ERPNext: its price is read from the Sales Invoice (the amount of the
card's item) or from the Subscription's plan, never typed a second time. A card that renews
another marks that one Renewed. A new member's card owes the services of its starter package,
one Starter Package Completion each. The nightly segmentation sets the lifecycle stage, the
last visit and the at-risk date, and turns cards cancelled, or expired and not renewed, into
churn records.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, date_diff, flt, getdate, nowdate


class MembershipDatesError(frappe.ValidationError):
	pass


class MembershipOverlapError(frappe.ValidationError):
	pass


class MembershipSaleError(frappe.ValidationError):
	pass


class ClubMembership(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at_risk: DF.Check
		at_risk_date: DF.Date | None
		cancelled_on: DF.Date | None
		card_type: DF.Link
		churn_record: DF.Link | None
		club: DF.Link
		company: DF.Link | None
		department: DF.Link | None
		due_now_html: DF.HTML | None
		end_date: DF.Date
		frozen_days: DF.Int
		frozen_from: DF.Date | None
		last_visit: DF.Date | None
		lifecycle_stage: DF.Link | None
		member: DF.Link
		member_name: DF.Data | None
		naming_series: DF.Literal["CM-.YYYY.-"]
		price: DF.Currency
		renews: DF.Link | None
		sales_invoice: DF.Link | None
		seller: DF.Link | None
		stage_since: DF.Date | None
		start_date: DF.Date
		starter_package: DF.Link | None
		status: DF.Literal["Active", "Frozen", "Expired", "Renewed", "Cancelled"]
		subscription: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_dates()
		self.validate_overlap()
		self.validate_renews()
		self.set_price_from_sale()
		self.set_company()

	def after_insert(self):
		self.mark_renewed_card()
		self.make_starter_services()
		self.close_lapsed_churn()

	def validate_dates(self):
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(
				_("The card ends on {0}, before it starts on {1}.").format(
					frappe.format(self.end_date, "Date"), frappe.format(self.start_date, "Date")
				),
				MembershipDatesError,
				title=_("Card Dates"),
			)
		if self.frozen_days and self.frozen_days < 0:
			frappe.throw(_("Frozen days cannot be negative."), MembershipDatesError)
		if self.frozen_from and getdate(self.frozen_from) < getdate(self.start_date):
			frappe.throw(_("The freeze cannot start before the card starts."), MembershipDatesError)
		if (
			self.status == "Cancelled"
			and self.cancelled_on
			and getdate(self.cancelled_on) < getdate(self.start_date)
		):
			frappe.throw(_("A card cannot be cancelled before it starts."), MembershipDatesError)

	def effective_end(self):
		"""The last day of the card: frozen days added, cut at the cancellation."""
		end = add_days(getdate(self.end_date), self.frozen_days or 0)
		if self.status == "Cancelled" and self.cancelled_on:
			end = min(end, getdate(self.cancelled_on))
		return end

	def validate_overlap(self):
		"""One member holds one card at a time in a club."""
		card = frappe.qb.DocType("Club Membership")
		others = (
			frappe.qb.from_(card)
			.select(
				card.name, card.start_date, card.end_date, card.frozen_days, card.status, card.cancelled_on
			)
			.where(
				(card.member == self.member)
				& (card.club == self.club)
				& (card.name != (self.name or ""))
				& (card.start_date <= self.effective_end())
			)
			.run(as_dict=True)
		)
		start = getdate(self.start_date)
		for other in others:
			end = add_days(getdate(other.end_date), other.frozen_days or 0)
			if other.status == "Cancelled" and other.cancelled_on:
				end = min(end, getdate(other.cancelled_on))
			if end >= start:
				frappe.throw(
					_("The member already holds card {0} in club {1} from {2} to {3}.").format(
						frappe.bold(other.name),
						self.club,
						frappe.format(other.start_date, "Date"),
						frappe.format(end, "Date"),
					),
					MembershipOverlapError,
					title=_("Overlapping Cards"),
				)

	def validate_renews(self):
		if not self.renews:
			return
		renewed = frappe.db.get_value("Club Membership", self.renews, ["member", "start_date"], as_dict=True)
		if not renewed or renewed.member != self.member:
			frappe.throw(_("A card can only renew a card of the same member."), MembershipDatesError)
		if getdate(renewed.start_date) >= getdate(self.start_date):
			frappe.throw(_("A renewal starts after the card it renews."), MembershipDatesError)

	def set_price_from_sale(self):
		"""The price the card was sold for: the card's line on the invoice, or its subscription plan."""
		if self.sales_invoice:
			invoice = frappe.db.get_value(
				"Sales Invoice", self.sales_invoice, ["customer", "docstatus"], as_dict=True
			)
			if not invoice or invoice.customer != self.member or invoice.docstatus == 2:
				frappe.throw(
					_("Sales Invoice {0} was not issued to {1}.").format(self.sales_invoice, self.member),
					MembershipSaleError,
				)
			line = frappe.qb.DocType("Sales Invoice Item")
			rows = (
				frappe.qb.from_(line)
				.select(line.amount)
				.where((line.parent == self.sales_invoice) & (line.item_code == self.card_type))
				.run()
			)
			if not rows:
				frappe.throw(
					_("Sales Invoice {0} does not sell the card {1}.").format(
						self.sales_invoice, self.card_type
					),
					MembershipSaleError,
				)
			self.price = sum(flt(r[0]) for r in rows)
		elif self.subscription:
			self.price = subscription_price(self.subscription, self.card_type)

	def set_company(self):
		if not self.company:
			self.company = frappe.db.get_single_value("Churn Settings", "default_company")

	def mark_renewed_card(self):
		if self.renews:
			frappe.db.set_value("Club Membership", self.renews, "status", "Renewed")

	def close_lapsed_churn(self):
		"""A lapsed member who buys a new card is back: their open churn record closes as won back."""
		if self.status not in ("Active", "Frozen"):
			return
		# a customer has at most one open churn record
		record = frappe.db.get_value(
			"Churn Record",
			{"customer": self.member, "status": "Open", "churn_date": ("<=", self.start_date)},
		)
		if record:
			frappe.get_doc("Churn Record", record).close_as_returned(
				self.start_date,
				won_back_by=self.seller_user() or frappe.session.user,
				note=_("Came back with club card {0}.").format(self.name),
			)

	def seller_user(self) -> str | None:
		"""The user behind the seller (a Sales Person linked to an Employee with a user), if any."""
		if not self.seller:
			return None
		employee = frappe.db.get_value("Sales Person", self.seller, "employee")
		return frappe.db.get_value("Employee", employee, "user_id") if employee else None

	def make_starter_services(self):
		"""A new member's card owes its starter package's services."""
		if self.renews or not self.starter_package:
			return
		package = frappe.get_doc("Starter Package", self.starter_package)
		for item in package.items:
			frappe.get_doc(
				{
					"doctype": "Starter Package Completion",
					"membership": self.name,
					"member": self.member,
					"club": self.club,
					"starter_package": package.name,
					"service": item.service,
					"department": item.department,
					"due_date": add_days(self.start_date, item.due_days or 0),
					"marked_by_visit": item.marked_by_visit,
				}
			).insert(ignore_permissions=True)


def subscription_price(subscription: str, card_type: str) -> float:
	"""The cost of the subscription's plans that sell the card's item."""
	plan_row = frappe.qb.DocType("Subscription Plan Detail")
	plan = frappe.qb.DocType("Subscription Plan")
	rows = (
		frappe.qb.from_(plan_row)
		.join(plan)
		.on(plan.name == plan_row.plan)
		.select(plan.cost, plan_row.qty)
		.where((plan_row.parent == subscription) & (plan.item == card_type))
		.run()
	)
	return sum(flt(cost) * flt(qty or 1) for cost, qty in rows)


@frappe.whitelist()
def get_due_now(membership: str) -> dict:
	"""The steps of the lifecycle standard due now for this member's stage and days in it."""
	doc = frappe.get_doc("Club Membership", membership)
	doc.check_permission("read")
	if not doc.lifecycle_stage:
		return {"stage": None, "steps": []}
	days = date_diff(nowdate(), doc.stage_since) if doc.stage_since else 0
	standard = default_standard(doc.club)
	steps = []
	if standard:
		for step in frappe.get_doc("Lifecycle Standard", standard).steps:
			if step.stage != doc.lifecycle_stage:
				continue
			if (step.from_day or 0) <= days and (not step.to_day or days <= step.to_day):
				steps.append(
					{
						"actions": step.actions,
						"communications": step.communications,
						"responsible_role": step.responsible_role,
						"emotion": step.emotion,
						"task_type": step.task_type,
					}
				)
	return {"stage": doc.lifecycle_stage, "days_in_stage": days, "standard": standard, "steps": steps}


def default_standard(club: str | None) -> str | None:
	"""The club's own standard, or the default one."""
	if club:
		own = frappe.db.get_value("Lifecycle Standard", {"club": club}, "name")
		if own:
			return own
	return frappe.db.get_value("Lifecycle Standard", {"is_default": 1}, "name") or frappe.db.get_value(
		"Lifecycle Standard", {"club": ("is", "not set")}, "name"
	)
