"""Customer states as of a date: active, overdue, pre-churn, churned (DOMAIN.md §1).

A customer has churned when a termination took effect (end_date, or a terminated application
without an end date) or when the oldest unpaid invoice is ``churn_after_months`` past due
(involuntary churn, the churn date being the day that threshold passed). Before that an unpaid
customer is only *overdue*, and *pre-churn* once ``pre_churn_days`` overdue or while a filed
termination has not yet taken effect. A churn after a win-back is *secondary*.

Output of :func:`customer_states`, one row per customer (index = position in ``customers``):

=================  ==========================================================================
customer_id        as given
start_date         as given
state              active, overdue, pre_churn, churned, or not_started (starts after as-of)
churn_date         when the customer churned (NaT unless churned)
churn_kind         voluntary, involuntary (None unless churned)
churn_order        primary, secondary (None unless churned)
reason             termination reason, the non-payment reason, or "Not recorded"
days_overdue       days since the oldest unpaid due date (0 when nothing is overdue)
outstanding        unpaid amount as of the date (0 without invoices)
monthly_fee        as given, 0 when absent
lifetime_months    months from start to churn (or to the as-of date while not churned)
=================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from churn_management.analytics.exports.schema import Dataset

DAYS_PER_MONTH = 365.25 / 12
STATES = ("active", "overdue", "pre_churn", "churned")
STATE_CATEGORIES = (*STATES, "not_started")
NOT_RECORDED = "Not recorded"
SLICE_ROWS = 1 << 20


@dataclass(frozen=True)
class Thresholds:
	"""The configurable definitions of DOMAIN.md §1."""

	churn_after_months: int = 3
	pre_churn_days: int = 30
	grace_days: int = 0
	non_payment_reason: str = "Non-payment"

	def __post_init__(self):
		if self.churn_after_months < 1:
			raise ValueError("churn_after_months must be at least 1")
		if not 0 <= self.grace_days <= self.pre_churn_days:
			raise ValueError("grace_days must be between 0 and pre_churn_days")


def debt_position(invoices: pd.DataFrame, as_of: pd.Timestamp, grace_days: int = 0) -> pd.DataFrame:
	"""Per customer: the oldest overdue due date and the outstanding amount as of a date.

	Returns a frame indexed by customer_id with columns oldest_unpaid_due (NaT when nothing is
	overdue) and outstanding (all unpaid amounts due up to the date).
	"""
	as_of = pd.Timestamp(as_of)
	today = np.datetime64(as_of)
	overdue_before = np.datetime64(as_of - pd.Timedelta(days=grace_days))
	columns = [
		invoices[name].to_numpy(dtype=dtype)
		for name, dtype in (
			("customer_id", None),
			("due_date", "datetime64[ns]"),
			("amount", float),
			("paid_date", "datetime64[ns]"),
			("paid_amount", float),
		)
	]
	open_parts: list[tuple[np.ndarray, np.ndarray]] = []
	overdue_parts: list[tuple[np.ndarray, np.ndarray]] = []
	# in slices of rows, so that the temporary arrays stay small on millions of invoices
	for start in range(0, len(invoices), SLICE_ROWS):
		ids, due, amount, paid_date, paid_amount = (c[start : start + SLICE_ROWS] for c in columns)
		unpaid = amount.copy()
		np.subtract(unpaid, paid_amount, out=unpaid, where=paid_date <= today)
		open_ = (unpaid > 0.005) & (due <= today)
		overdue = open_ & (due < overdue_before)
		open_parts.append((ids[open_], unpaid[open_]))
		overdue_parts.append((ids[overdue], due[overdue]))
	outstanding = _grouped(open_parts, "sum")
	oldest = _grouped(overdue_parts, "min")
	position = pd.DataFrame({"oldest_unpaid_due": oldest, "outstanding": outstanding})
	position["outstanding"] = position["outstanding"].fillna(0.0)
	position.index.name = "customer_id"
	return position


def _grouped(parts: list[tuple[np.ndarray, np.ndarray]], how: str) -> pd.Series:
	"""Values of the slices' (ids, values) pairs, summed or taken the least per id."""
	ids = np.concatenate([p[0] for p in parts]) if parts else np.array([], dtype=np.int64)
	values = np.concatenate([p[1] for p in parts]) if parts else np.array([], dtype=float)
	return pd.Series(values, index=ids).groupby(level=0).agg(how)


def customer_states(data: Dataset, as_of, thresholds: Thresholds | None = None) -> pd.DataFrame:
	"""Classify every customer as of a date (see the module docstring for the columns)."""
	thresholds = thresholds or Thresholds()
	as_of = pd.Timestamp(as_of).normalize()
	customers = data.customers
	ids = customers["customer_id"]
	n = len(customers)

	oldest_unpaid = pd.Series(pd.NaT, index=customers.index, dtype="datetime64[ns]")
	outstanding = pd.Series(0.0, index=customers.index)
	if data.invoices is not None and len(data.invoices):
		position = debt_position(data.invoices, as_of, thresholds.grace_days)
		aligned = position.reindex(ids.to_numpy())
		oldest_unpaid = pd.Series(aligned["oldest_unpaid_due"].to_numpy(), index=customers.index)
		outstanding = pd.Series(aligned["outstanding"].fillna(0.0).to_numpy(), index=customers.index)

	terminated_on, terminated_reason = _terminations_per_customer(data, ids, as_of)
	end_date = customers["end_date"] if "end_date" in customers else pd.Series(pd.NaT, index=customers.index)
	effective_end = end_date.fillna(terminated_on)
	ended = effective_end.notna() & (effective_end <= as_of)

	non_payment_date = oldest_unpaid + pd.DateOffset(months=thresholds.churn_after_months)
	non_payment = oldest_unpaid.notna() & (non_payment_date <= as_of) & ~ended
	started = customers["start_date"] <= as_of
	churned = started & (ended | non_payment)
	churn_date = effective_end.where(ended).fillna(non_payment_date.where(non_payment))
	churn_date = churn_date.where(churned)

	left_with_debt = ended & oldest_unpaid.notna() & (oldest_unpaid <= effective_end)
	involuntary = churned & (non_payment | (left_with_debt & terminated_reason.isna()))
	days_overdue = (as_of - oldest_unpaid).dt.days.fillna(0).astype("int64").clip(lower=0)

	# states as category codes: no million Python strings to build (order of STATE_CATEGORIES)
	state = np.zeros(n, dtype=np.int8)
	state[(days_overdue > 0).to_numpy()] = 1
	pending = terminated_on.notna() & (effective_end > as_of)
	state[((days_overdue >= thresholds.pre_churn_days) | pending).to_numpy()] = 2
	state[churned.to_numpy()] = 3
	state[(~started).to_numpy()] = 4

	reason = terminated_reason.fillna(NOT_RECORDED).where(~involuntary, thresholds.non_payment_reason)
	secondary = churned & False
	if "won_back_date" in customers:
		secondary = churned & (customers["won_back_date"] <= churn_date)
	fee = (
		customers["monthly_fee"].fillna(0.0)
		if "monthly_fee" in customers
		else pd.Series(0.0, index=ids.index)
	)
	lifetime_end = churn_date.fillna(as_of)
	lifetime = ((lifetime_end - customers["start_date"]).dt.days / DAYS_PER_MONTH).clip(lower=0)

	churned_mask = churned.to_numpy()
	kind = np.where(churned_mask, np.where(involuntary.to_numpy(), 1, 0), -1).astype(np.int8)
	order = np.where(churned_mask, np.where(secondary.to_numpy(), 1, 0), -1).astype(np.int8)
	return pd.DataFrame(
		{
			"customer_id": ids,
			"start_date": customers["start_date"],
			"state": pd.Categorical.from_codes(state, STATE_CATEGORIES),
			"churn_date": churn_date,
			"churn_kind": pd.Categorical.from_codes(kind, ("voluntary", "involuntary")),
			"churn_order": pd.Categorical.from_codes(order, ("primary", "secondary")),
			"reason": reason.where(churned),
			"days_overdue": days_overdue.where(started, 0),
			"outstanding": outstanding,
			"monthly_fee": fee,
			"lifetime_months": lifetime.where(started),
		},
		copy=False,  # every column has the customers' index already
	)


def _terminations_per_customer(
	data: Dataset, ids: pd.Series, as_of: pd.Timestamp
) -> tuple[pd.Series, pd.Series]:
	"""The latest terminated application per customer filed by the date: its date and its reason."""
	empty_dates = pd.Series(pd.NaT, index=ids.index, dtype="datetime64[ns]")
	empty_text = pd.Series(pd.NA, index=ids.index, dtype="string")
	terminations = data.terminations
	if terminations is None or not len(terminations):
		return empty_dates, empty_text
	done = terminations[(terminations["outcome"] == "Terminated") & (terminations["date"] <= as_of)]
	latest = done.sort_values("date").drop_duplicates("customer_id", keep="last").set_index("customer_id")
	rows = latest.index.get_indexer(ids.to_numpy())
	dates = pd.Series(
		latest["date"].array.take(rows, allow_fill=True), index=ids.index, dtype="datetime64[ns]"
	)
	reasons = pd.Series(latest["reason"].astype("string").array.take(rows, allow_fill=True), index=ids.index)
	return dates, reasons


def state_counts(states: pd.DataFrame) -> dict[str, int]:
	"""How many customers are in each state (those not yet started left out)."""
	counts = states["state"].value_counts()
	return {state: int(counts.get(state, 0)) for state in STATES}
