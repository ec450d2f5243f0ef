"""Receivables work (DOMAIN.md §5): debt stages, aging, promises and "is it worth collecting?".

Ages are *days past due*: the day after the due date is day 1. A stage covers the ages
``from_day``..``to_day`` (inclusive; ``to_day`` None = open-ended, only for the last stage).
Stages must start at day 1 and follow each other without gaps or overlaps.

Recovery probability is learned from the company's own invoice history. Input ``invoices``:

=============  ===============================================================
due_date       date the invoice fell due
amount         invoiced amount (> 0)
paid_date      date it was paid (NaT while unpaid)
paid_amount    amount paid on paid_date (the full amount when missing)
=============  ===============================================================

For each age ``a`` of a grid, among invoices still (partly) unpaid at age ``a`` and observed for
at least ``follow_days`` after it, the probability is the share of the amount outstanding at age
``a`` that was paid later: ``recovered / outstanding``. A debt never gets *more* likely to be
paid as it ages, so the curve is made non-increasing (running minimum); ages without history take
the value of the younger age before them.

Output of :func:`recovery_curve`, one row per grid age:

=================  ==============================================================
age_from           first age (days past due) the row applies to
invoices           invoices observed unpaid at that age
outstanding        amount outstanding at that age
recovered          part of it paid later
raw_probability    recovered / outstanding (NaN without history)
probability        non-increasing, gap-filled probability used for scoring
=================  ==============================================================

Scoring (:func:`score_cases`): expected recovery = outstanding × probability for the case's age;
cost = staff minutes × cost per minute + fees of the stages still ahead (the current one
included); net = expected recovery − cost; recommendation Collect when net > 0, else Write off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from churn_management.analytics.debt.net_debt import allocate_credit

DEFAULT_AGE_GRID = (1, 6, 16, 31, 61, 91, 181, 366)
AGING_BUCKETS = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))
ACTIONS = ("Reminder", "Call", "Warning", "Service Block", "Pre-churn Work", "Decision")
# what a case still does for a stage it jumped over: the debtor gets the letter before the block
NEVER_SKIPPED = ("Reminder", "Warning", "Service Block")
# the recovery probability (percent) by age when the history is too thin to learn it
DEFAULT_RECOVERY_CURVE = (
	(1, 90.0),
	(6, 80.0),
	(16, 70.0),
	(31, 55.0),
	(61, 40.0),
	(91, 25.0),
	(181, 10.0),
	(366, 5.0),
)
LEARNT, DEFAULT = "Payment history", "Default curve"
COLLECT, WRITE_OFF = "Collect", "Write Off"
PENDING, KEPT, BROKEN = "Pending", "Kept", "Broken"
EPSILON = 0.005


class StageError(ValueError):
	"""The stage table is not a clean sequence of day ranges."""


@dataclass(frozen=True)
class Stage:
	"""One step of the escalation: its day range, its actions and what it costs."""

	name: str
	from_day: int
	to_day: int | None
	actions: tuple[str, ...] = ()
	staff_minutes: float = 0.0
	fee: float = 0.0

	def covers(self, age: int) -> bool:
		return age >= self.from_day and (self.to_day is None or age <= self.to_day)


# ---------------------------------------------------------------------------------------------
# stage arithmetic


@dataclass(frozen=True)
class StageProblem:
	"""One fault of a stage table: its kind, the names of the stages and the days it is about."""

	kind: str
	stages: tuple[str, ...] = ()
	days: tuple[int, ...] = ()

	def __str__(self) -> str:
		return STAGE_PROBLEM_TEXTS[self.kind].format(*self.stages, *self.days)


# plain English for logs and the CLI; the desk translates each kind as one whole sentence (debt_stage.py)
STAGE_PROBLEM_TEXTS = {
	"no stages": "there are no stages",
	"first not at day 1": "the first stage '{0}' must start at day 1",
	"ends before start": "stage '{0}' ends (day {1}) before it starts",
	"open-ended not last": "stage '{0}' is open-ended but '{1}' follows it",
	"overlap": "stages '{0}' and '{1}' overlap",
	"gap": "days {2}-{3} between '{0}' and '{1}' belong to no stage",
}


def stage_faults(stages: Sequence[Stage]) -> list[StageProblem]:
	"""Every problem of a stage table (empty list when it is clean)."""
	if not stages:
		return [StageProblem("no stages")]
	problems = []
	ordered = sorted(stages, key=lambda s: s.from_day)
	if ordered[0].from_day != 1:
		problems.append(StageProblem("first not at day 1", (ordered[0].name,)))
	for stage in ordered:
		if stage.to_day is not None and stage.to_day < stage.from_day:
			problems.append(StageProblem("ends before start", (stage.name,), (stage.to_day,)))
	for before, after in pairwise(ordered):
		names = (before.name, after.name)
		if before.to_day is None:
			problems.append(StageProblem("open-ended not last", names))
		elif after.from_day <= before.to_day:
			problems.append(StageProblem("overlap", names))
		elif after.from_day > before.to_day + 1:
			problems.append(StageProblem("gap", names, (before.to_day + 1, after.from_day - 1)))
	return problems


def stage_problems(stages: Sequence[Stage]) -> list[str]:
	"""Every problem of a stage table, in plain words (empty list when it is clean)."""
	return [str(problem) for problem in stage_faults(stages)]


def ordered_stages(stages: Sequence[Stage]) -> list[Stage]:
	"""The stages by day, after checking they form a clean sequence."""
	problems = stage_problems(stages)
	if problems:
		raise StageError("; ".join(problems))
	return sorted(stages, key=lambda s: s.from_day)


def stage_for_age(stages: Sequence[Stage], age: int) -> Stage | None:
	"""The stage a debt of this age is in (None when not overdue or past a closed last stage)."""
	for stage in ordered_stages(stages):
		if stage.covers(age):
			return stage
	return None


def stages_for_ages(stages: Sequence[Stage], ages: Iterable[int]) -> pd.Series:
	"""Vectorised :func:`stage_for_age`: the stage name per age (None where no stage applies)."""
	ordered = ordered_stages(stages)
	ages = pd.Series(ages, dtype="float64").reset_index(drop=True)
	starts = np.array([s.from_day for s in ordered])
	ends = np.array([np.inf if s.to_day is None else s.to_day for s in ordered])
	names = np.array([s.name for s in ordered], dtype=object)
	position = np.searchsorted(starts, ages.to_numpy(), side="right") - 1
	valid = (position >= 0) & (ages.to_numpy() <= ends[np.clip(position, 0, None)])
	result = np.where(valid, names[np.clip(position, 0, None)], None)
	return pd.Series(result, dtype=object)


def next_stage(stages: Sequence[Stage], current: str | None) -> Stage | None:
	"""The stage after ``current`` (the first one when there is none; None after the last)."""
	ordered = ordered_stages(stages)
	names = [s.name for s in ordered]
	if current not in names:
		return ordered[0]
	position = names.index(current) + 1
	return ordered[position] if position < len(ordered) else None


def skipped_stages(stages: Sequence[Stage], current: str | None, target: str | None) -> list[Stage]:
	"""The stages a case jumps over from ``current`` (None: a new case) to ``target``, by day."""
	ordered = ordered_stages(stages)
	names = [s.name for s in ordered]
	if target not in names:
		return []
	start = names.index(current) + 1 if current in names else 0
	return ordered[start : names.index(target)]


def remaining_cost(stages: Sequence[Stage], age: int, cost_per_minute: float) -> float:
	"""Cost of the current stage and every stage after it: minutes × cost per minute + fees."""
	ordered = ordered_stages(stages)
	ahead = [s for s in ordered if s.to_day is None or s.to_day >= max(age, 1)]
	return float(sum(s.staff_minutes * cost_per_minute + s.fee for s in ahead))


# ---------------------------------------------------------------------------------------------
# recovery probability and scoring


def recovery_curve(
	invoices: pd.DataFrame,
	as_of,
	grid: Sequence[int] = DEFAULT_AGE_GRID,
	follow_days: int = 0,
) -> pd.DataFrame:
	"""Probability that an amount still unpaid at a given age is paid later (module docstring)."""
	as_of = pd.Timestamp(as_of)
	grid = sorted(set(int(a) for a in grid))
	due = pd.to_datetime(invoices["due_date"]).to_numpy()
	paid_date = pd.to_datetime(invoices["paid_date"]).to_numpy()
	amount = invoices["amount"].to_numpy(dtype=float)
	paid_amount = (
		invoices["paid_amount"].to_numpy(dtype=float)
		if "paid_amount" in invoices
		else np.full_like(amount, np.nan)
	)
	paid_amount = np.where(np.isnan(paid_amount), amount, np.minimum(paid_amount, amount))
	is_paid = ~pd.isna(paid_date) & (paid_date <= np.datetime64(as_of))
	paid_age = np.where(is_paid, (paid_date - due) / np.timedelta64(1, "D"), np.inf)
	age_now = (np.datetime64(as_of) - due) / np.timedelta64(1, "D")
	rows = []
	for age in grid:
		observed = age_now >= age + follow_days
		paid_before = is_paid & (paid_age < age)
		outstanding = np.where(paid_before, amount - paid_amount, amount)
		recovered = np.where(is_paid & ~paid_before, paid_amount, 0.0)
		mask = observed & (outstanding > EPSILON)
		total = float(outstanding[mask].sum())
		got = float(recovered[mask].sum())
		rows.append(
			{
				"age_from": age,
				"invoices": int(mask.sum()),
				"outstanding": total,
				"recovered": got,
				"raw_probability": got / total if total > EPSILON else np.nan,
			}
		)
	curve = pd.DataFrame(
		rows, columns=["age_from", "invoices", "outstanding", "recovered", "raw_probability"]
	)
	curve["probability"] = curve["raw_probability"].ffill().cummin()
	return curve


def curve_basis(curve: pd.DataFrame, ages: Sequence[int]) -> tuple[list[str], list[int]]:
	"""Per age: where its probability came from (Payment history or Default curve) and how many invoices
	were followed at that age of the curve."""
	if curve.empty:
		return [DEFAULT] * len(ages), [0] * len(ages)
	if "source" in curve:
		known = curve["source"].to_numpy(dtype=object)
	else:
		known = np.where(curve["probability"].notna(), LEARNT, DEFAULT).astype(object)
	starts = curve["age_from"].to_numpy(dtype=float)
	position = np.searchsorted(starts, np.asarray(ages, dtype=float), side="right") - 1
	inside = position >= 0
	clipped = np.clip(position, 0, None)
	sources = np.where(inside, known[clipped], DEFAULT)
	invoices = np.where(inside, curve["invoices"].to_numpy(dtype=int)[clipped], 0)
	return sources.tolist(), [int(n) for n in invoices]


def probability_for_ages(curve: pd.DataFrame, ages: Iterable[int], default: float = 0.0) -> pd.Series:
	"""Step lookup in a recovery curve; ages before the grid or without history take ``default``."""
	ages = pd.Series(ages, dtype="float64").reset_index(drop=True)
	if curve.empty:
		return pd.Series(default, index=ages.index, dtype="float64")
	starts = curve["age_from"].to_numpy(dtype=float)
	probabilities = curve["probability"].to_numpy(dtype=float)
	position = np.searchsorted(starts, ages.to_numpy(), side="right") - 1
	found = probabilities[np.clip(position, 0, None)]
	result = np.where((position >= 0) & ~np.isnan(found), found, default)
	return pd.Series(result, index=ages.index, dtype="float64")


def with_default_curve(
	curve: pd.DataFrame, default: Sequence[tuple[int, float]], min_invoices: int
) -> pd.DataFrame:
	"""The learnt curve where enough invoices were followed at an age, the default curve elsewhere.

	``default``: (age_from, probability 0..1) points. An age learnt from fewer than ``min_invoices``
	invoices (or from none) takes the default curve's probability for that age; the result is kept
	non-increasing. Adds ``source`` (Payment history or Default curve) per age."""
	points = sorted((int(age), float(p)) for age, p in default)
	if curve.empty:
		curve = pd.DataFrame(
			{"age_from": [age for age, _p in points], "invoices": 0, "raw_probability": np.nan}
		)
	result = curve.copy()
	result["invoices"] = result["invoices"].fillna(0).astype(int)
	fallback = pd.DataFrame({"age_from": [age for age, _p in points], "probability": [p for _a, p in points]})
	fallback_probability = probability_for_ages(fallback, result["age_from"], points[0][1] if points else 0.0)
	learnt = (result["invoices"] >= max(int(min_invoices), 1)) & result["raw_probability"].notna()
	chosen = np.where(learnt, result["raw_probability"].astype(float), fallback_probability.to_numpy())
	result["probability"] = pd.Series(chosen, index=result.index, dtype="float64").cummin()
	result["source"] = np.where(learnt, LEARNT, DEFAULT)
	return result


def score_cases(
	cases: pd.DataFrame,
	curve: pd.DataFrame,
	stages: Sequence[Stage],
	cost_per_minute: float,
	default_probability: float = 0.5,
) -> pd.DataFrame:
	"""Score debts: ``cases`` has outstanding and days_overdue; adds probability, expected_recovery,
	remaining_cost, net_recovery and recommendation."""
	result = cases.copy()
	ages = result["days_overdue"].astype(int).tolist()
	result["probability"] = probability_for_ages(curve, ages, default_probability).to_numpy()
	result["basis"], result["learnt_from"] = curve_basis(curve, ages)
	result["expected_recovery"] = result["outstanding"].astype(float) * result["probability"]
	costs = {age: remaining_cost(stages, age, cost_per_minute) for age in set(ages)}
	result["remaining_cost"] = [costs[age] for age in ages]
	result["net_recovery"] = result["expected_recovery"] - result["remaining_cost"]
	result["recommendation"] = np.where(result["net_recovery"] > 0, COLLECT, WRITE_OFF)
	return result


# ---------------------------------------------------------------------------------------------
# aging, promises, payment plans


def aging_bucket(days: Iterable[int]) -> pd.Series:
	"""Aging bucket label per age; not yet due (age <= 0) counts in 0-30 as in ERPNext."""
	days = pd.Series(days, dtype="float64").reset_index(drop=True)
	labels = pd.Series(AGING_BUCKETS[-1][2], index=days.index, dtype=object)
	for _low, high, label in reversed(AGING_BUCKETS[:-1]):
		labels[days <= high] = label
	return labels


def aging_table(entries: pd.DataFrame) -> pd.DataFrame:
	"""Per party: amounts per aging bucket and total. ``entries``: party, days_overdue, outstanding."""
	frame = entries.assign(bucket=aging_bucket(entries["days_overdue"]).to_numpy())
	table = frame.pivot_table(
		index="party", columns="bucket", values="outstanding", aggfunc="sum", fill_value=0.0
	)
	labels = [label for _low, _high, label in AGING_BUCKETS]
	table = table.reindex(columns=labels, fill_value=0.0).astype(float)
	table["total"] = table[labels].sum(axis=1)
	table.columns.name = None
	return table


def promise_status(promised: float, paid_since: float, promise_date, as_of) -> str:
	"""Kept once the promised amount has come in; broken when its date passed without it."""
	if paid_since + EPSILON >= promised:
		return KEPT
	if pd.Timestamp(as_of) > pd.Timestamp(promise_date):
		return BROKEN
	return PENDING


def missed_instalments(instalments: pd.DataFrame, paid_since_plan: float, as_of) -> pd.Series:
	"""Per instalment (due_date, amount, in order): True when its date passed and the payments since
	the plan started do not cover it and everything due before it."""
	due = pd.to_datetime(instalments["due_date"]).reset_index(drop=True)
	cumulative = instalments["amount"].astype(float).reset_index(drop=True).cumsum()
	return (due < pd.Timestamp(as_of)) & (cumulative > paid_since_plan + EPSILON)


def plan_problems(instalments: pd.DataFrame, debt: float, start) -> list[str]:
	"""A payment plan must cover the debt exactly, with positive amounts on dates from its start."""
	problems = []
	if instalments.empty:
		return ["the plan has no instalments"]
	amounts = instalments["amount"].astype(float)
	if (amounts <= 0).any():
		problems.append("every instalment needs a positive amount")
	if abs(float(amounts.sum()) - float(debt)) > EPSILON:
		problems.append(f"the instalments sum to {amounts.sum():.2f}, not to the debt of {float(debt):.2f}")
	if (pd.to_datetime(instalments["due_date"]) < pd.Timestamp(start)).any():
		problems.append("an instalment is dated before the plan starts")
	return problems


def promise_kept_rate(statuses: Iterable[str]) -> float:
	"""Kept among promises that have an outcome (pending ones are left out); NaN without any."""
	statuses = pd.Series(list(statuses), dtype=object)
	kept = int((statuses == KEPT).sum())
	settled = kept + int((statuses == BROKEN).sum())
	return kept / settled if settled else float("nan")


# ---------------------------------------------------------------------------------------------
# the daily plan


@dataclass
class CasePlan:
	"""What the daily job has to do: frames of cases to open, to move and to close."""

	open: pd.DataFrame = field(default_factory=pd.DataFrame)
	move: pd.DataFrame = field(default_factory=pd.DataFrame)
	close: pd.DataFrame = field(default_factory=pd.DataFrame)
	refresh: pd.DataFrame = field(default_factory=pd.DataFrame)


def net_case_invoices(invoices: pd.DataFrame, balances: pd.DataFrame) -> pd.DataFrame:
	"""The invoices each debtor still owes once the credit on their account is applied, oldest first.

	``invoices``: customer, company, invoice, due_date, outstanding (> 0; credit notes and disputed
	invoices left out). ``balances``: customer, company, outstanding: what the debtor owes net (the
	ledger's balance less disputed invoices). What the invoices add up to beyond that balance is
	credit (a credit note that keeps its own outstanding, an advance, a journal entry); it pays the
	oldest invoices first, as the churn job nets debt (net_debt.py). Returns the invoices with
	something ``remaining``."""
	keys = ["customer", "company"]
	if invoices.empty:
		return invoices.assign(remaining=pd.Series(dtype=float))
	totals = invoices.assign(outstanding=invoices["outstanding"].astype(float))
	totals = totals.groupby(keys, as_index=False)["outstanding"].sum()
	owed = balances[[*keys, "outstanding"]].rename(columns={"outstanding": "balance"})
	credit = totals.merge(owed, on=keys, how="left")
	credit["credit"] = credit["outstanding"] - credit["balance"].astype(float).fillna(0.0)
	allocated = allocate_credit(invoices, credit[[*keys, "credit"]])
	return allocated[allocated["remaining"] > EPSILON].reset_index(drop=True)


def case_debts(invoices: pd.DataFrame, balances: pd.DataFrame, as_of) -> pd.DataFrame:
	"""Per debtor with an overdue invoice left after credit: the balance owed (``outstanding``) and
	the due date of the oldest such invoice (``oldest_due``); input as :func:`net_case_invoices`."""
	keys = ["customer", "company"]
	remaining = net_case_invoices(invoices, balances)
	overdue = remaining[remaining["due_date"] < pd.Timestamp(as_of)]
	oldest = (
		overdue.groupby(keys, as_index=False)["due_date"].min().rename(columns={"due_date": "oldest_due"})
	)
	result = oldest.merge(balances[[*keys, "outstanding"]], on=keys, how="left")
	result["outstanding"] = result["outstanding"].astype(float).fillna(0.0)
	result["oldest_due"] = pd.to_datetime(result["oldest_due"])
	return result[[*keys, "oldest_due", "outstanding"]]


def plan_cases(debts: pd.DataFrame, cases: pd.DataFrame, stages: Sequence[Stage], as_of) -> CasePlan:
	"""Compare today's debts with the open cases.

	``debts``: customer, company, oldest_due (oldest overdue due date), outstanding (net debt of the
	customer in the company). ``cases``: case, customer, company, stage. A debtor owes when the
	outstanding is positive and something is overdue. Debtors without a case are opened; cases whose
	debtor no longer owes are closed; the rest move when the stage by age is later than theirs (a
	case escalated early by a broken promise never moves back), and every kept case is refreshed.
	"""
	as_of = pd.Timestamp(as_of)
	debts = debts.copy()
	debts["oldest_due"] = pd.to_datetime(debts["oldest_due"])
	debts = debts[(debts["outstanding"].astype(float) > EPSILON) & debts["oldest_due"].notna()]
	debts["days_overdue"] = (as_of - debts["oldest_due"]).dt.days.astype(int)
	debts = debts[debts["days_overdue"] >= 1]
	debts["target_stage"] = stages_for_ages(stages, debts["days_overdue"]).to_numpy()
	merged = debts.merge(cases, on=["customer", "company"], how="outer", indicator=True)
	plan = CasePlan()
	plan.open = merged[merged["_merge"] == "left_only"].drop(columns=["_merge", "case", "stage"])
	plan.close = merged[merged["_merge"] == "right_only"][["case", "customer", "company", "stage"]]
	kept = merged[merged["_merge"] == "both"].drop(columns=["_merge"])
	order = {stage.name: position for position, stage in enumerate(ordered_stages(stages))}
	target_order = kept["target_stage"].map(order).fillna(-1)
	current_order = kept["stage"].map(order).fillna(-1)
	plan.refresh = kept
	plan.move = kept[target_order > current_order]
	for name in ("open", "close", "refresh", "move"):
		setattr(plan, name, getattr(plan, name).reset_index(drop=True))
	return plan


# ---------------------------------------------------------------------------------------------
# presets: the timings of DOMAIN.md §5 per vertical


def _preset(call_minutes: float, block_label: str, decision_fee: float) -> list[Stage]:
	return [
		Stage("Reminder", 1, 5, ("Reminder",), staff_minutes=2),
		Stage("Call", 6, 15, ("Call",), staff_minutes=call_minutes),
		Stage(block_label, 16, 30, ("Warning", "Service Block"), staff_minutes=10),
		Stage("Pre-churn Work", 31, 90, ("Pre-churn Work", "Call"), staff_minutes=2 * call_minutes),
		Stage("Decision", 91, None, ("Decision",), staff_minutes=15, fee=decision_fee),
	]


STAGE_PRESETS: dict[str, list[Stage]] = {
	"security": _preset(call_minutes=10, block_label="Warning and Block", decision_fee=500),
	"isp": _preset(call_minutes=6, block_label="Warning and Block", decision_fee=300),
	"fitness": _preset(call_minutes=8, block_label="Warning and Freeze", decision_fee=200),
}


# ---------------------------------------------------------------------------------------------
# collection results and the sales / debt link


def attribute_to_stage(payments: pd.DataFrame, stage_log: pd.DataFrame) -> pd.DataFrame:
	"""The stage each payment came in: the case's last stage entered on or before the payment date.

	``payments``: case, date, amount. ``stage_log``: case, on (when the stage was entered), stage.
	Returns ``payments`` with a stage column (None before the case's first stage).
	"""
	left = payments.assign(date=pd.to_datetime(payments["date"])).reset_index(drop=True)
	left["_order"] = range(len(left))
	if left.empty or stage_log.empty:
		return left.drop(columns="_order").assign(stage=None)
	right = stage_log.assign(on=pd.to_datetime(stage_log["on"]).dt.normalize())[["case", "on", "stage"]]
	merged = pd.merge_asof(
		left.sort_values("date"),
		right.sort_values("on"),
		left_on="date",
		right_on="on",
		by="case",
		direction="backward",
	)
	merged = merged.sort_values("_order").drop(columns=["_order", "on"]).reset_index(drop=True)
	merged["stage"] = merged["stage"].astype(object).where(merged["stage"].notna(), None)
	return merged


def fell_into_debt(
	customers: pd.DataFrame, invoices: pd.DataFrame, as_of, months: int = 3, grace_days: int = 0
) -> pd.DataFrame:
	"""Whether each new customer fell into debt within their first months.

	``customers``: customer, start (first invoice or sign-up date). ``invoices``: customer, due_date,
	amount, paid_date (NaT while unpaid), paid_amount. A customer fell into debt when an invoice due in
	the window [start, start + months) stayed (partly) unpaid more than ``grace_days`` after its due
	date. Only customers whose window has ended by ``as_of`` (plus the grace) are *observed*; the
	others are left out of shares. Returns ``customers`` with columns observed and in_debt.
	"""
	as_of = pd.Timestamp(as_of)
	frame = customers.copy()
	frame["start"] = pd.to_datetime(frame["start"])
	frame["window_end"] = frame["start"] + pd.DateOffset(months=months)
	grace = pd.Timedelta(days=grace_days)
	frame["observed"] = frame["window_end"] + grace <= as_of
	bills = invoices.merge(frame[["customer", "start", "window_end"]], on="customer", how="inner")
	due = pd.to_datetime(bills["due_date"])
	paid_date = pd.to_datetime(bills["paid_date"])
	amount = bills["amount"].astype(float)
	paid_amount = bills["paid_amount"].astype(float).fillna(amount) if "paid_amount" in bills else amount
	in_window = (due >= bills["start"]) & (due < bills["window_end"])
	deadline = due + grace
	late = (deadline < as_of) & (paid_date.isna() | (paid_date > deadline) | (paid_amount + EPSILON < amount))
	debtors = set(bills.loc[in_window & late, "customer"])
	frame["in_debt"] = frame["customer"].isin(debtors)
	return frame.drop(columns=["window_end"])
