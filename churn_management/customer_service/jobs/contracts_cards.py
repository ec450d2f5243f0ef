# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily job of annual contracts and bonus cards.

Contracts: Active ones ending within EXPIRING_DAYS become Expiring; on its last day a contract not
renewed goes back to monthly billing and becomes Lapsed (one transaction per contract, ahead of
ERPNext's billing of the next day). Cards: past their last day they are Expired; a churned
customer's cards are Blocked, and Active again once the customer is won back; customers leave the
card types' Loyalty Programs with their last active card and rejoin with it.

Set-based: each step is one query (or one per thousand customers); running twice changes nothing the
second time.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, getdate, nowdate

RUNNING = ("Active", "Expiring")
EXPIRING_DAYS = 30
CHURNED = "Churned"
CHUNK = 1000


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	run()


def commit() -> None:
	"""Jobs commit as they go; under test the test case keeps (and rolls back) everything."""
	if not frappe.flags.in_test:
		frappe.db.commit()


def run(today=None) -> dict:
	"""Every step; returns how many records each one changed."""
	today = getdate(today or nowdate())
	summary = {
		"expiring": mark_expiring(today),
		"lapsed": lapse_contracts(today),
		"expired_cards": expire_cards(today),
	}
	blocked, unblocked = block_churned_cards()
	summary.update(blocked_cards=blocked, unblocked_cards=unblocked)
	commit()
	return summary


def mark_expiring(today) -> int:
	"""Active contracts that end within EXPIRING_DAYS."""
	contract = frappe.qb.DocType("Annual Contract")
	condition = (
		(contract.docstatus == 1)
		& (contract.status == "Active")
		& (contract.end_date <= add_days(today, EXPIRING_DAYS))
	)
	count = _count(contract, condition)
	if count:
		frappe.qb.update(contract).set(contract.status, "Expiring").where(condition).run()
		commit()
	return count


def lapse_contracts(today) -> int:
	"""Contracts on or past their last day with no renewal: monthly billing again, Lapsed."""
	contract = frappe.qb.DocType("Annual Contract")
	names = (
		frappe.qb.from_(contract)
		.select(contract.name)
		.where(
			(contract.docstatus == 1)
			& contract.status.isin(RUNNING)
			& contract.renewed_by.isnull()
			& (contract.end_date <= today)
		)
		.orderby(contract.end_date)
		.run(pluck=True)
	)
	lapsed = 0
	for name in names:
		frappe.db.savepoint("annual_contract_lapse")
		try:
			frappe.get_doc("Annual Contract", name).lapse()
			commit()
			lapsed += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="annual_contract_lapse")
			frappe.log_error(title=_("Annual contract {0} not lapsed").format(name))
	return lapsed


def expire_cards(today) -> int:
	"""Cards past their last day."""
	card = frappe.qb.DocType("Bonus Card")
	condition = card.status.isin(["Active", "Blocked"]) & (card.valid_until < today)
	customers = frappe.qb.from_(card).select(card.customer).distinct().where(condition).run(pluck=True)
	if not customers:
		return 0
	count = _count(card, condition)
	frappe.qb.update(card).set(card.status, "Expired").set(card.blocked_for_churn, 0).where(condition).run()
	sync_loyalty_programs(customers)
	commit()
	return count


def block_churned_cards() -> tuple[int, int]:
	"""Block the active cards of churned customers; unblock those blocked for a churn now undone."""
	card = frappe.qb.DocType("Bonus Card")
	customer = frappe.qb.DocType("Customer")
	cards = (
		frappe.qb.from_(card)
		.join(customer)
		.on(customer.name == card.customer)
		.select(card.name, card.customer)
	)
	to_block = cards.where((card.status == "Active") & (customer.churn_status == CHURNED)).run()
	to_unblock = cards.where(
		(card.status == "Blocked")
		& (card.blocked_for_churn == 1)
		& ((customer.churn_status != CHURNED) | customer.churn_status.isnull())
	).run()
	customers = list({row[1] for row in (*to_block, *to_unblock)})
	to_block = [row[0] for row in to_block]
	to_unblock = [row[0] for row in to_unblock]
	for chunk in _chunks(to_block):
		frappe.qb.update(card).set(card.status, "Blocked").set(card.blocked_for_churn, 1).where(
			card.name.isin(chunk)
		).run()
	for chunk in _chunks(to_unblock):
		frappe.qb.update(card).set(card.status, "Active").set(card.blocked_for_churn, 0).where(
			card.name.isin(chunk)
		).run()
	if customers:
		sync_loyalty_programs(customers)
		commit()
	return len(to_block), len(to_unblock)


def sync_loyalty_programs(customers: list[str]) -> None:
	"""Each customer in the Loyalty Program of their latest active card with points, or in none of ours."""
	card_type = frappe.qb.DocType("Bonus Card Type")
	ours = set(
		frappe.qb.from_(card_type)
		.select(card_type.loyalty_program)
		.where(card_type.loyalty_program.isnotnull())
		.run(pluck=True)
	)
	if not ours:
		return
	card = frappe.qb.DocType("Bonus Card")
	customer = frappe.qb.DocType("Customer")
	for chunk in _chunks(customers):
		wanted = {}
		for name, program in (
			frappe.qb.from_(card)
			.join(card_type)
			.on(card_type.name == card.card_type)
			.select(card.customer, card_type.loyalty_program)
			.where(
				card.customer.isin(chunk) & (card.status == "Active") & card_type.loyalty_program.isnotnull()
			)
			.orderby(card.issued_on)
			.run()
		):
			wanted[name] = program
		current = dict(
			frappe.qb.from_(customer)
			.select(customer.name, customer.loyalty_program)
			.where(customer.name.isin(chunk))
			.run()
		)
		changes: dict[str | None, list[str]] = {}
		for name, program in current.items():
			target = wanted.get(name)
			if target is None and program not in ours:
				continue  # a program that is not a card type's stays as it is
			if program != target:
				changes.setdefault(target, []).append(name)
		for program, names in changes.items():
			frappe.qb.update(customer).set(customer.loyalty_program, program).where(
				customer.name.isin(names)
			).run()


def _count(table, condition) -> int:
	return frappe.qb.from_(table).select(Count("*")).where(condition).run()[0][0]


def _chunks(values: list, size: int = CHUNK):
	for start in range(0, len(values), size):
		yield values[start : start + size]
