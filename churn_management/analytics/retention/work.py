"""Retention work: what a return is worth, conversion with intervals, saves that stick, staff capacity
and the random split of a testing campaign (DOMAIN.md §3, §6).

Value of a return = monthly revenue × expected remaining lifetime in months; the expected remaining
lifetime of a returned customer is 1 / monthly churn rate (a constant monthly hazard), capped.

Conversion to return = tasks returned / tasks closed with a real attempt (outcome Returned, Refused
or Unreachable; "Not applicable" is left out), with a 95 % Wilson score interval. A save *sticks*
when the customer is still active and paying N days later; sticky conversion = saves that stuck /
the same denominator.

Input of :func:`conversion_table`, one row per task:
``outcome`` (Returned, Refused, Unreachable, Not applicable or empty while open), ``save_status``
(Stuck, Lost, Pending or empty), ``revenue`` (monthly revenue returned, optional), ``planned`` (planned conversion of the
method used, a fraction, optional), and the group columns.  Output: the group columns, ``tasks``
(closed, counted), ``returned``, ``conversion``, ``conversion_low``, ``conversion_high``, ``stuck``,
``lost``, ``pending``, ``sticky_conversion``, ``sticky_low``, ``sticky_high``, ``revenue_returned``,
``planned_conversion`` (mean planned conversion of the group's tasks, null without plans).  Conversions are fractions; null when no
task counts.

Input of :func:`judge_saves`: ``saves`` (save, customer, saved_on), ``churns`` (customer,
churn_date), ``payments`` (customer, date), ``unpaid`` (customer, due_date of invoices still
unpaid).  Output: save, customer, saved_on, judge_on (saved_on + N days), status Stuck / Lost /
Pending and a short ``why`` (churned, unpaid, no payment).

Input of :func:`allocate_capacity`: ``tasks`` (task, priority, minutes) waiting to be handed out,
``managers`` (user, capacity_minutes per day, load_minutes already open on them, open_tasks: their
count of open tasks).  Output: the tasks that fit, highest priority first, with the ``user`` whose
free time they fill.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

Z_95 = 1.959963984540054
COUNTED_OUTCOMES = ("Returned", "Refused", "Unreachable")
DEFAULT_MAX_LIFETIME_MONTHS = 120.0


def expected_remaining_lifetime(
	monthly_churn_rate: float, max_months: float = DEFAULT_MAX_LIFETIME_MONTHS
) -> float:
	"""Months a returned customer is expected to stay: 1 / monthly churn rate, capped."""
	if monthly_churn_rate is None or not monthly_churn_rate > 0:
		return float(max_months)
	return float(min(1.0 / monthly_churn_rate, max_months))


def return_value(monthly_revenue: float, remaining_lifetime_months: float) -> float:
	"""Value of a return = monthly revenue × expected remaining lifetime."""
	if monthly_revenue < 0 or remaining_lifetime_months < 0:
		raise ValueError("monthly revenue and lifetime must not be negative")
	return round(float(monthly_revenue) * float(remaining_lifetime_months), 2)


def priority_level(value: float, high_from: float, medium_from: float) -> str:
	"""High / Medium / Low from the value of a return and two thresholds."""
	if value >= high_from:
		return "High"
	if value >= medium_from:
		return "Medium"
	return "Low"


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
	"""Wilson score interval of a proportion (95 % by default); (nan, nan) when n is 0."""
	if successes < 0 or n < 0 or successes > n:
		raise ValueError("need 0 <= successes <= n")
	if n == 0:
		return (math.nan, math.nan)
	p = successes / n
	denominator = 1 + z * z / n
	centre = (p + z * z / (2 * n)) / denominator
	half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
	return (max(0.0, centre - half), min(1.0, centre + half))


def _intervals(successes: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
	pairs = [wilson_interval(int(s), int(t)) for s, t in zip(successes, n, strict=True)]
	low = pd.Series([p[0] for p in pairs], index=successes.index, dtype=float)
	high = pd.Series([p[1] for p in pairs], index=successes.index, dtype=float)
	return low, high


def conversion_table(tasks: pd.DataFrame, by: list[str]) -> pd.DataFrame:
	"""Raw and sticky conversion to return per group, with 95 % Wilson intervals."""
	columns = [
		*by,
		"tasks",
		"returned",
		"conversion",
		"conversion_low",
		"conversion_high",
		"stuck",
		"lost",
		"pending",
		"sticky_conversion",
		"sticky_low",
		"sticky_high",
		"revenue_returned",
		"planned_conversion",
	]
	counted = tasks[tasks["outcome"].isin(COUNTED_OUTCOMES)].copy()
	if counted.empty:
		return pd.DataFrame(columns=columns)
	save = counted.get("save_status", pd.Series("", index=counted.index)).fillna("")
	returned = counted["outcome"] == "Returned"
	counted["_returned"] = returned.astype(int)
	counted["_stuck"] = (returned & (save == "Stuck")).astype(int)
	counted["_lost"] = (returned & (save == "Lost")).astype(int)
	counted["_pending"] = (returned & ~save.isin(["Stuck", "Lost"])).astype(int)
	revenue = counted["revenue"] if "revenue" in counted else pd.Series(0.0, index=counted.index)
	counted["_revenue"] = revenue.fillna(0).astype(float).where(returned, 0.0)
	planned = counted["planned"] if "planned" in counted else pd.Series(np.nan, index=counted.index)
	counted["_planned"] = pd.to_numeric(planned, errors="coerce")
	keys = [counted[c].fillna("") for c in by] if by else [pd.Series("", index=counted.index)]
	grouped = counted.groupby(keys, sort=True).agg(
		tasks=("outcome", "size"),
		returned=("_returned", "sum"),
		stuck=("_stuck", "sum"),
		lost=("_lost", "sum"),
		pending=("_pending", "sum"),
		revenue_returned=("_revenue", "sum"),
		planned_conversion=("_planned", "mean"),
	)
	grouped = grouped.reset_index()
	if not by:
		grouped = grouped.drop(columns=grouped.columns[0])
	else:
		grouped.columns = [*by, *grouped.columns[len(by) :]]
	grouped["conversion"] = grouped["returned"] / grouped["tasks"]
	grouped["conversion_low"], grouped["conversion_high"] = _intervals(grouped["returned"], grouped["tasks"])
	# a save still waiting for its judgement day counts in neither numerator nor denominator
	judged = grouped["tasks"] - grouped["pending"]
	grouped["sticky_conversion"] = (grouped["stuck"] / judged.where(judged > 0)).astype(float)
	grouped["sticky_low"], grouped["sticky_high"] = _intervals(grouped["stuck"], judged)
	return grouped[columns]


def judge_saves(
	saves: pd.DataFrame,
	churns: pd.DataFrame,
	payments: pd.DataFrame,
	unpaid: pd.DataFrame,
	as_of,
	days: int,
	grace_days: int = 0,
) -> pd.DataFrame:
	"""Stuck when still active and paying ``days`` after the save; Lost when not; Pending before."""
	if days <= 0:
		raise ValueError("the judgement period must be positive")
	as_of = pd.Timestamp(as_of).normalize()
	out = saves[["save", "customer", "saved_on"]].copy()
	out["saved_on"] = pd.to_datetime(out["saved_on"]).dt.normalize()
	out["judge_on"] = out["saved_on"] + pd.Timedelta(days=days)
	out["status"] = "Pending"
	out["why"] = ""
	if out.empty:
		return out
	key = out.reset_index(drop=True).reset_index().rename(columns={"index": "_row"})

	def _hits(events: pd.DataFrame, column: str, start_offset: int, end_offset: int) -> set[int]:
		"""Rows of ``key`` that have an event in (saved_on + start, judge_on + end]."""
		if events.empty:
			return set()
		merged = key.merge(
			events[["customer", column]].assign(**{column: pd.to_datetime(events[column])}), on="customer"
		)
		inside = (merged[column] > merged["saved_on"] + pd.Timedelta(days=start_offset)) & (
			merged[column] <= merged["judge_on"] + pd.Timedelta(days=end_offset)
		)
		return set(merged.loc[inside, "_row"])

	churned = _hits(churns, "churn_date", 0, 0)
	overdue = _hits(unpaid, "due_date", -1, -grace_days)
	paid = _hits(payments, "date", -1, 0)
	status, why = [], []
	for row, judge_on in zip(key["_row"], key["judge_on"], strict=True):
		if row in churned:
			status.append("Lost")
			why.append("churned")
		elif judge_on > as_of:
			status.append("Pending")
			why.append("")
		elif row in overdue:
			status.append("Lost")
			why.append("unpaid")
		elif row not in paid:
			status.append("Lost")
			why.append("no payment")
		else:
			status.append("Stuck")
			why.append("")
	out["status"] = status
	out["why"] = why
	return out.reset_index(drop=True)


def capacity_per_day(minutes_per_day: float, minutes_per_task: float) -> int:
	"""Tasks one manager can work in a day."""
	if minutes_per_task <= 0:
		raise ValueError("minutes per task must be positive")
	return int(max(minutes_per_day, 0) // minutes_per_task)


def allocate_capacity(
	tasks: pd.DataFrame, managers: pd.DataFrame, policy: str = "load_balancing"
) -> pd.DataFrame:
	"""Hand out waiting tasks, highest priority first, within each manager's free minutes.

	``load_balancing`` balances like Frappe's Assignment Rule of that name, among the managers who
	still have time for the task: it goes to the one with the fewest open tasks (``open_tasks``; ties
	to the one listed first), so a full manager holds nobody else back and nobody is given more than
	they can call. ``most_free`` gives each task to whoever has most free minutes. Either way a task
	that fits nobody waits (a cheaper one after it may still fit).
	"""
	result_columns = ["task", "priority", "minutes", "user"]
	if policy not in ("load_balancing", "most_free"):
		raise ValueError(f"unknown policy {policy!r}")
	if tasks.empty or managers.empty:
		return pd.DataFrame(columns=result_columns)
	if (tasks["minutes"] < 0).any():
		raise ValueError("minutes per task must not be negative")
	free = {
		row.user: float(row.capacity_minutes) - float(row.load_minutes)
		for row in managers.itertuples(index=False)
	}
	counts = dict(
		zip(
			managers["user"],
			managers["open_tasks"] if "open_tasks" in managers else [0] * len(managers),
			strict=True,
		)
	)
	ordered = tasks.sort_values(["priority", "task"], ascending=[False, True], kind="stable")
	handed = []
	for task, priority, minutes in zip(ordered["task"], ordered["priority"], ordered["minutes"], strict=True):
		room = [user for user in free if free[user] >= minutes and free[user] > 0]
		if not room:
			continue
		if policy == "load_balancing":
			user = min(room, key=counts.get)  # ties go to the manager listed first, as in Frappe
		else:
			user = max(room, key=free.get)
		free[user] -= float(minutes)
		counts[user] += 1
		handed.append((task, priority, minutes, user))
	return pd.DataFrame(handed, columns=result_columns)


def sample_customers(customers: list[str], size: int, seed: int) -> list[str]:
	"""A reproducible random sample: same customers and seed, same sample, in any input order."""
	unique = sorted(set(customers))
	if size >= len(unique):
		return unique
	rng = np.random.default_rng(seed)
	picked = rng.choice(len(unique), size=size, replace=False)
	return sorted(unique[i] for i in picked)


def split_methods(customers: list[str], methods: list[str], seed: int) -> pd.DataFrame:
	"""Split customers among methods at random but reproducibly, in groups as equal as possible.

	Output: customer, method.  The same customers, methods and seed give the same split whatever
	order the customers come in.
	"""
	if not methods:
		raise ValueError("give at least one method to test")
	unique = sorted(set(customers))
	rng = np.random.default_rng(seed)
	order = rng.permutation(len(unique))
	rows = [(unique[i], methods[position % len(methods)]) for position, i in enumerate(order)]
	return pd.DataFrame(rows, columns=["customer", "method"]).sort_values("customer").reset_index(drop=True)


def seed_from_text(text: str) -> int:
	"""A stable seed from a campaign name, for campaigns that set none."""
	return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def share_came_back(pauses: pd.DataFrame) -> dict:
	"""Share of ended pauses whose customer paid again, with its 95 % interval.

	Input: one row per ended pause with ``came_back`` (bool).
	"""
	n = len(pauses)
	back = int(pauses["came_back"].astype(bool).sum()) if n else 0
	low, high = wilson_interval(back, n)
	return {"pauses": n, "came_back": back, "share": back / n if n else math.nan, "low": low, "high": high}
