# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The figures of a Retention Plan from the company's history, computed by the analytics core."""

from dataclasses import dataclass
from datetime import date

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_days, add_months, cint, flt, get_first_day, getdate, nowdate

from churn_management.analytics.management.labour import (
	productive_hours,
	staff_needed,
	task_norms,
	workload,
)
from churn_management.analytics.management.plan import (
	HISTORY_MONTHS,
	forecast_churn,
	missing_history,
	monthly_history,
	plan_budget,
	reason_mix,
	target_returns,
)
from churn_management.management.history import (
	churn_events,
	customer_starts,
	reason_conversions,
	saves,
	task_history,
)
from churn_management.retention.doctype.retention_settings.retention_settings import (
	MINUTES_FIELDS,
	get_settings,
	minutes_per_task,
)

KEPT_MONTHS = 36
DEFAULT_ATTEMPTS = 2
DEFAULT_MINUTES_PER_DAY = 300


class PlanHistoryMissingError(frappe.ValidationError):
	pass


@dataclass
class PlanFigures:
	history_from: date
	history_to: date
	months: pd.DataFrame
	workload: pd.DataFrame
	staff: pd.DataFrame
	territories: pd.DataFrame
	managed_share: float
	conversion: float
	offer_cost_per_return: float


def history_end(year: int) -> date:
	"""The plan learns from the complete months before its year (or before today, for this year)."""
	return min(date(year, 1, 1), getdate(get_first_day(nowdate())))


def default_roles() -> list[dict]:
	"""Retention managers do all the calls, each at the daily minutes of Retention Settings."""
	minutes = cint(get_settings().minutes_per_day) or DEFAULT_MINUTES_PER_DAY
	return [{"role": "Retention Manager", "productive_hours": productive_hours(minutes), "share": 100}]


def default_norms() -> pd.DataFrame:
	"""Without task history: one win-back task per churned customer, two attempts, the settings' minutes."""
	settings = get_settings()
	return pd.DataFrame(
		[
			{
				"task_type": task_type,
				"tasks_per_churned": 1.0 if task_type == "Win-back" else 0.0,
				"attempts_per_task": float(DEFAULT_ATTEMPTS),
				"minutes_per_attempt": float(minutes_per_task(task_type, settings)),
			}
			for task_type in MINUTES_FIELDS
		]
	)


def missing_messages(codes: list[str], company: str, until: date) -> list[str]:
	"""What the history lacks, said so the user knows what to enter or run."""
	day = frappe.format(until, "Date")
	messages = {
		"no_customers": _(
			"No customer of {0} has a submitted sales invoice before {1}: the plan needs the invoices of at least one year to know who was active each month."
		),
		"no_churn": _(
			"{0} has no churn records in the 12 months before {1}: the forecast needs last year's churn (the daily churn update and the termination applications make them)."
		),
		"no_reasons": _(
			"None of the churn records of {0} in the 12 months before {1} has a reason: the managed churn and the target returns need classified churn."
		),
	}
	return [messages[code].format(frappe.bold(company), day) for code in codes]


def plan_figures(
	company: str, year: int, roles: list[dict], offer_cost_per_return: float | None, overhead: float
) -> PlanFigures:
	"""Forecast, targets, workload, staff and budget for the twelve months of the year."""
	until = history_end(year)
	window = getdate(add_months(until, -HISTORY_MONTHS))
	churns = churn_events(company, until)
	history = monthly_history(customer_starts(company, until), churns, until)
	if not history.empty:
		history = history[history["month"] >= pd.Timestamp(add_months(until, -KEPT_MONTHS))]
	recent = churns[churns["churn_date"] >= pd.Timestamp(window)]
	missing = missing_history(history, len(recent), int(recent["reason"].notna().sum()))
	if missing:
		frappe.throw(
			missing_messages(missing, company, until),
			PlanHistoryMissingError,
			title=_("Not enough history for a plan of {0}").format(year),
			as_list=True,
		)
	conversions = reason_conversions()
	mix = reason_mix(recent.assign(conversion=recent["reason"].map(conversions)))
	forecast = forecast_churn(history)
	months = target_returns(forecast, mix)
	norms = task_norms(task_history(company, window, until), len(recent), default_norms())
	load = workload(months[["month", "forecast_churn"]], norms)
	hours = load.groupby("month", as_index=False)["hours"].sum()
	role_frame = pd.DataFrame(roles)[["role", "productive_hours", "share", "monthly_cost"]].astype(
		{"productive_hours": float, "share": float, "monthly_cost": float}
	)
	role_frame["share"] = role_frame["share"] / 100
	staff = staff_needed(hours, role_frame)
	if offer_cost_per_return is None:
		given = saves(company, window, until)
		offer_cost_per_return = flt(given["offer_cost"].mean(), 2) if len(given) else 0.0
	budget = plan_budget(months, staff, offer_cost_per_return, overhead)
	months = months.merge(budget[["month", "budget"]], on="month").merge(
		staff.groupby("month", as_index=False)["staff"].sum().rename(columns={"staff": "staff_needed"}),
		on="month",
	)
	return PlanFigures(
		history_from=getdate(history["month"].min()),
		history_to=getdate(add_days(until, -1)),
		months=months,
		workload=load,
		staff=staff,
		territories=forecast,
		managed_share=float(mix.loc[mix["managed"], "share"].sum()),
		conversion=float((mix["share"] * mix["managed"] * mix["conversion"]).sum()),
		offer_cost_per_return=flt(offer_cost_per_return, 2),
	)
