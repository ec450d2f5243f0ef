"""Monthly labour of the retention plan (DOMAIN.md §6): tasks × attempts × minutes per task type →
hours → staff needed from each role's productive hours per month.

Input of :func:`task_norms`: ``tasks`` of the history window, one row per task: task_type,
attempt_count, minutes_spent; ``churned``: churn events in the same window; ``defaults``, one row
per task type: task_type, tasks_per_churned, attempts_per_task, minutes_per_attempt (used for a
type without history, and for all types when there are no tasks at all). Output, one row per task
type: task_type, tasks_per_churned, attempts_per_task, minutes_per_attempt.

Output of :func:`workload`, from ``months`` (month, forecast_churn) and the norms: month,
task_type, tasks, attempts, minutes, hours.

Input of :func:`staff_needed`: ``hours`` (month, hours) and ``roles`` (role, productive_hours per
person per month, share: the fraction of the hours the role does, monthly_cost per person).
Output: month, role, hours, staff (people, two decimals), staff_cost.
"""

from __future__ import annotations

import pandas as pd

WORKING_DAYS_PER_MONTH = 21
NORM_COLUMNS = ["task_type", "tasks_per_churned", "attempts_per_task", "minutes_per_attempt"]


def productive_hours(minutes_per_day: float, working_days: int = WORKING_DAYS_PER_MONTH) -> float:
	"""Productive hours a person gives the calls in a month."""
	return round(float(minutes_per_day) * working_days / 60, 2)


def task_norms(tasks: pd.DataFrame, churned: int, defaults: pd.DataFrame) -> pd.DataFrame:
	"""Tasks per churned customer, attempts per task and minutes per attempt, per task type."""
	defaults = defaults[NORM_COLUMNS].set_index("task_type")
	if tasks.empty or churned <= 0:
		return defaults.reset_index()
	counts = tasks.groupby("task_type").agg(
		tasks=("task_type", "size"), attempts=("attempt_count", "sum"), minutes=("minutes_spent", "sum")
	)
	tried = tasks[tasks["attempt_count"] > 0].groupby("task_type")["attempt_count"].agg(["sum", "size"])
	norms = pd.DataFrame(index=counts.index.union(defaults.index))
	norms["tasks_per_churned"] = counts["tasks"] / churned
	norms["attempts_per_task"] = tried["sum"] / tried["size"]
	timed = counts[(counts["attempts"] > 0) & (counts["minutes"] > 0)]
	norms["minutes_per_attempt"] = timed["minutes"] / timed["attempts"]
	norms = norms.fillna(defaults).fillna(0.0)
	return norms.rename_axis("task_type").reset_index()[NORM_COLUMNS]


def workload(months: pd.DataFrame, norms: pd.DataFrame) -> pd.DataFrame:
	"""Tasks, attempts, minutes and hours per month and task type."""
	frame = months[["month", "forecast_churn"]].merge(norms, how="cross")
	frame["tasks"] = (frame["forecast_churn"] * frame["tasks_per_churned"]).round(1)
	frame["attempts"] = (frame["tasks"] * frame["attempts_per_task"]).round(1)
	frame["minutes"] = (frame["attempts"] * frame["minutes_per_attempt"]).round(0)
	frame["hours"] = (frame["minutes"] / 60).round(2)
	return frame[["month", "task_type", "tasks", "attempts", "minutes", "hours"]]


def staff_needed(hours: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
	"""People per role per month: the role's share of the hours / its productive hours per person."""
	frame = hours[["month", "hours"]].merge(roles, how="cross")
	frame["hours"] = (frame["hours"] * frame["share"]).round(2)
	frame["staff"] = (
		(frame["hours"] / frame["productive_hours"].where(frame["productive_hours"] > 0)).fillna(0.0).round(2)
	)
	frame["staff_cost"] = (frame["staff"] * frame["monthly_cost"]).round(2)
	return frame[["month", "role", "hours", "staff", "staff_cost"]]
