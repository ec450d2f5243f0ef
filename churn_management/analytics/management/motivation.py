"""Staff motivation: what each employee earned in a month from the KPIs of their role (DOMAIN.md §6).

A scheme is a fixed part plus components. A component is one KPI paid one way, in tiers; each tier
is a band ``[threshold_from, threshold_to)`` of the KPI (``threshold_to`` empty or 0: no upper bound)
with a rate:

* ``Per unit above threshold``: every unit of the quantity inside a band earns the band's rate
  (progressive: 10 units in 0-10 at 0 and 5 units in 10-∞ at 500 make 2,500).
* ``Percent of amount``: the part of the amount (debt collected, contracts' prepaid amount) inside a
  band earns the band's rate in percent.
* ``Step bonus``: the rate of the one band the quantity falls in, paid once (conversion at 100-120 %
  of plan pays 6,000).

Bands of one component may leave gaps but never overlap; rates are never negative.

Input of :func:`statement_lines`: ``tiers`` (kpi, rate_type, threshold_from, threshold_to, rate) and
``facts``, one row per source document that counts for a KPI (kpi, reference_doctype,
reference_name, quantity, amount; conversion against plan comes as one row whose quantity is the
percent of plan). Output: the lines (kpi, rate_type, quantity, base_amount, amount) and the sources
(the facts with the part of their line's ``amount`` each earned), so every line is traceable.

Input of :func:`take_backs`: ``lost`` (save, reference_doctype, reference_name: the documents a save
that did not stick stands for) and ``paid`` (statement, kpi, reference_doctype, reference_name,
amount: what earlier statements paid for those documents, already taken back ones left out).
Output: one negative line per earlier statement and KPI, and its sources. Only what was paid per
customer brought back (customers returned, members reactivated) is taken back; a conversion bonus stays.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import pandas as pd

KPIS = (
	"Customers returned",
	"Conversion against plan",
	"Saves that stuck",
	"Annual contracts sold",
	"Bonus cards issued",
	"Debt collected",
	"Members reactivated",
)
PER_UNIT = "Per unit above threshold"
PERCENT = "Percent of amount"
STEP = "Step bonus"
RATE_TYPES = (PER_UNIT, PERCENT, STEP)
# what is paid per customer brought back, and so taken back when the save does not stick
RETURN_KPIS = ("Customers returned", "Members reactivated")

TIER_COLUMNS = ["kpi", "rate_type", "threshold_from", "threshold_to", "rate"]
FACT_COLUMNS = ["kpi", "reference_doctype", "reference_name", "quantity", "amount"]
LINE_COLUMNS = ["kpi", "rate_type", "quantity", "base_amount", "amount", "takes_back"]
SOURCE_COLUMNS = [
	"kpi",
	"rate_type",
	"reference_doctype",
	"reference_name",
	"base_amount",
	"amount",
	"takes_back",
]


@dataclass(frozen=True)
class TierProblem:
	"""A tier row that cannot be paid: ``kind`` is overlap, negative, order or percent."""

	kind: str
	row: int
	other_row: int | None = None


def month_bounds(day: date) -> tuple[date, date]:
	"""First and last day of the month the day falls in."""
	last = calendar.monthrange(day.year, day.month)[1]
	return day.replace(day=1), day.replace(day=last)


def previous_month(day: date) -> date:
	"""First day of the month before the day's month."""
	first = day.replace(day=1)
	return (pd.Timestamp(first) - pd.DateOffset(months=1)).date()


def period_closed(period_end: date, today: date) -> bool:
	"""A month can be paid once it has ended."""
	return period_end < today


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
	"""Two validity periods (an empty end runs forever) share a day."""
	return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def check_tiers(tiers: pd.DataFrame) -> list[TierProblem]:
	"""Negative rates, bands whose end is not after their start, percents over 100, overlapping bands."""
	tiers = _tiers(tiers).reset_index(drop=True)
	problems = []
	for row, tier in tiers.iterrows():
		if tier["rate"] < 0 or tier["threshold_from"] < 0:
			problems.append(TierProblem("negative", row))
		elif tier["threshold_to"] and tier["threshold_to"] <= tier["threshold_from"]:
			problems.append(TierProblem("order", row))
		elif tier["rate_type"] == PERCENT and tier["rate"] > 100:
			problems.append(TierProblem("percent", row))
	for _key, group in tiers.groupby(["kpi", "rate_type"], sort=False):
		ordered = group.sort_values(["threshold_from"], kind="stable")
		rows = ordered.index.tolist()
		for before, after in pairwise(rows):
			end = ordered.at[before, "threshold_to"]
			if not end or ordered.at[after, "threshold_from"] < end:
				problems.append(TierProblem("overlap", after, before))
	return problems


def component_pay(rate_type: str, tiers: pd.DataFrame, quantity: float, amount: float) -> float:
	"""What one component pays for a month's quantity (and amount, for percent of amount)."""
	bands = [
		(start, end if end > 0 else float("inf"), rate)
		for start, end, rate in _tiers(tiers)[["threshold_from", "threshold_to", "rate"]].itertuples(
			index=False
		)
	]
	if rate_type == STEP:
		return round(max((rate for start, end, rate in bands if start <= quantity < end), default=0.0), 2)
	basis = amount if rate_type == PERCENT else quantity
	pay = sum(max(0.0, min(end, basis) - start) * rate for start, end, rate in bands)
	return round(pay / 100 if rate_type == PERCENT else pay, 2)


def statement_lines(tiers: pd.DataFrame, facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
	"""A month's lines, one per component that has facts, and each fact's share of its line."""
	tiers = _tiers(tiers)
	facts = _frame(facts, FACT_COLUMNS)
	lines, sources = [], []
	for (kpi, rate_type), component in tiers.groupby(["kpi", "rate_type"], sort=False):
		earned = facts[facts["kpi"] == kpi]
		if earned.empty:
			continue
		quantity = round(float(earned["quantity"].sum()), 6)
		base = float(earned["amount"].sum())
		amount = component_pay(rate_type, component, quantity, base)
		lines.append([kpi, rate_type, quantity, base, amount, None])
		weights = earned["amount"] if rate_type == PERCENT else earned["quantity"]
		sources.append(
			pd.DataFrame(
				{
					"kpi": kpi,
					"rate_type": rate_type,
					"reference_doctype": earned["reference_doctype"].to_numpy(),
					"reference_name": earned["reference_name"].to_numpy(),
					"base_amount": earned["amount"].to_numpy(),
					"amount": _split(amount, weights.astype(float).tolist()),
					"takes_back": None,
				}
			)
		)
	sources = pd.concat(sources, ignore_index=True) if sources else pd.DataFrame(columns=SOURCE_COLUMNS)
	return pd.DataFrame(lines, columns=LINE_COLUMNS), sources[SOURCE_COLUMNS]


def take_backs(lost: pd.DataFrame, paid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
	"""Negative lines for what earlier statements paid for saves that did not stick."""
	lost = _frame(lost, ["save", "reference_doctype", "reference_name"])
	paid = _frame(paid, ["statement", "kpi", "reference_doctype", "reference_name", "amount"])
	hits = paid.merge(lost, on=["reference_doctype", "reference_name"]).drop_duplicates(
		["statement", "kpi", "reference_doctype", "reference_name"]
	)
	hits = hits[(hits["amount"] > 0) & hits["kpi"].isin(RETURN_KPIS)]
	if hits.empty:
		return pd.DataFrame(columns=LINE_COLUMNS), pd.DataFrame(columns=SOURCE_COLUMNS)
	sources = pd.DataFrame(
		{
			"kpi": hits["kpi"],
			"rate_type": None,
			"reference_doctype": hits["reference_doctype"],
			"reference_name": hits["reference_name"],
			"base_amount": 0.0,
			"amount": -hits["amount"].round(2),
			"takes_back": hits["statement"],
		}
	)[SOURCE_COLUMNS]
	lines = (
		sources.groupby(["takes_back", "kpi"], sort=True)
		.agg(quantity=("amount", "size"), amount=("amount", "sum"))
		.reset_index()
	)
	lines["quantity"] = -lines["quantity"].astype(float)
	lines["amount"] = lines["amount"].round(2)
	lines["rate_type"] = None
	lines["base_amount"] = 0.0
	return lines[LINE_COLUMNS], sources.reset_index(drop=True)


def conversion_percent_of_plan(returned: int, worked: int, planned_percent: float) -> float | None:
	"""Actual conversion (returned / tasks worked) as a percent of the planned conversion."""
	if not worked or not planned_percent:
		return None
	return round(returned / worked * 100 / planned_percent * 100, 2)


def staff_table(statements: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
	"""Per employee and month: fixed, variable, total, each KPI's quantity and its pay, take-backs."""
	statements = _frame(
		statements, ["statement", "employee_user", "period_start", "scheme", "fixed_amount", "docstatus"]
	)
	lines = _frame(lines, ["statement", "kpi", "quantity", "amount", "takes_back"])
	earned = lines[lines["takes_back"].isna()]
	taken = lines[lines["takes_back"].notna()].groupby("statement")["amount"].sum().rename("taken_back")
	quantity = earned.pivot_table(index="statement", columns="kpi", values="quantity", aggfunc="sum")
	pay = earned.pivot_table(index="statement", columns="kpi", values="amount", aggfunc="sum")
	table = statements.set_index("statement")
	table = table.join(quantity.add_prefix("qty:")).join(pay.add_prefix("pay:")).join(taken)
	table["taken_back"] = table["taken_back"].fillna(0.0)
	pay_columns = [c for c in table.columns if c.startswith("pay:")]
	table["variable_amount"] = table[pay_columns].fillna(0).sum(axis=1) + table["taken_back"]
	table["total_amount"] = table["fixed_amount"].astype(float) + table["variable_amount"]
	return table.reset_index().sort_values(["period_start", "employee_user"], kind="stable")


def _split(amount: float, weights: list[float]) -> list[float]:
	"""Share an amount in proportion to the weights, in cents, the rounding left on the last share."""
	total = sum(weights)
	count = len(weights)
	if not total:
		shares = [round(amount / count, 2)] * count
	else:
		shares = [round(amount * w / total, 2) for w in weights]
	shares[-1] = round(amount - sum(shares[:-1]), 2)
	return shares


def _tiers(tiers: pd.DataFrame) -> pd.DataFrame:
	tiers = _frame(tiers, TIER_COLUMNS)
	for column in ("threshold_from", "threshold_to", "rate"):
		tiers[column] = pd.to_numeric(tiers[column], errors="coerce").fillna(0.0).astype(float)
	return tiers


def _frame(rows, columns: list[str]) -> pd.DataFrame:
	frame = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows.copy()
	for column in columns:
		if column not in frame.columns:
			frame[column] = None
	return frame
