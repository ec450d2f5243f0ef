"""What a customer really owes, per company: the debt that counts for overdue, pre-churn and churn.

The rules (DOMAIN.md §1, §5), each one a case every subscription business meets:

* Debt is judged per customer **and company**; two companies' balances never mix.
* Debt is **net**: unallocated advances and unapplied credit notes of the same customer and
  company pay the oldest invoices first (first in, first out), as a clerk would allocate them.
* A residue below ``min_amount`` in total is no debt (a 0.01 rounding residue churns nobody).
* An invoice counts as overdue only once it is ``min_days`` past its due date.
* Disputed invoices are left out before they reach this module.
* After a return (a win-back, or a return by payment) only debt **due after the return** counts
  for a new churn: the old unpaid invoices of a won-back customer do not churn them again.

Inputs:

=============  ==============================================================================
invoices       customer, company, due_date, outstanding: every submitted invoice with an
               outstanding amount; a negative outstanding (an unapplied credit note) is credit
credits        customer, company, amount: unallocated advances (positive amounts)
returns        customer, last_return: the date of the customer's latest return (optional)
=============  ==============================================================================

Output of :func:`net_debts`, one row per customer and company with debt that is due:

=================  ==========================================================================
customer           as given
company            as given
oldest_due         the oldest due date still (partly) unpaid after credits, counted for the
                   state (at least ``min_days`` overdue, due after the last return); NaT when
                   only younger debt is left
outstanding        the net amount due after the last return (credits applied)
=================  ==========================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEBT_COLUMNS = ["customer", "company", "oldest_due", "outstanding"]
CENT = 0.005


def net_debts(
	invoices: pd.DataFrame,
	credits: pd.DataFrame | None,
	as_of,
	min_amount: float = 0.0,
	min_days: int = 0,
	returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
	"""Net debt per customer and company as of a date (see the module docstring)."""
	as_of = pd.Timestamp(as_of).normalize()
	if invoices is None or invoices.empty:
		return _empty()
	frame = invoices[["customer", "company", "due_date", "outstanding"]].copy()
	frame["due_date"] = pd.to_datetime(frame["due_date"])
	frame["outstanding"] = frame["outstanding"].astype(float)
	credit = _credit_per_group(frame, credits)
	debt = frame[frame["outstanding"] > CENT]
	if debt.empty:
		return _empty()
	debt = allocate_credit(debt, credit)
	debt = debt[(debt["remaining"] > CENT) & (debt["due_date"] < as_of)]
	if returns is not None and not returns.empty:
		debt = debt.merge(returns[["customer", "last_return"]], on="customer", how="left")
		last_return = pd.to_datetime(debt["last_return"])
		debt = debt[last_return.isna() | (debt["due_date"] > last_return)]
	if debt.empty:
		return _empty()
	counted = debt["due_date"] <= as_of - pd.Timedelta(days=max(int(min_days), 0))
	debt = debt.assign(counted_due=debt["due_date"].where(counted))
	result = (
		debt.groupby(["customer", "company"], sort=False)
		.agg(oldest_due=("counted_due", "min"), outstanding=("remaining", "sum"))
		.reset_index()
	)
	result = result[result["outstanding"] >= max(float(min_amount), CENT)]
	return result[DEBT_COLUMNS].reset_index(drop=True)


def allocate_credit(invoices: pd.DataFrame, credit: pd.DataFrame) -> pd.DataFrame:
	"""Credit pays the oldest invoices first: each invoice with what is left of it (``remaining``).

	``invoices``: customer, company, due_date, outstanding (> 0), other columns kept; ``credit``:
	customer, company, credit (one row per group, missing = none). Returned oldest due date first."""
	frame = invoices.copy()
	frame["due_date"] = pd.to_datetime(frame["due_date"])
	frame["outstanding"] = frame["outstanding"].astype(float)
	frame = frame.sort_values(["customer", "company", "due_date"], kind="stable")
	frame = frame.merge(credit[["customer", "company", "credit"]], on=["customer", "company"], how="left")
	frame["credit"] = frame["credit"].astype(float).fillna(0.0).clip(lower=0.0)
	cumulative = frame.groupby(["customer", "company"], sort=False)["outstanding"].cumsum()
	frame["remaining"] = np.minimum(
		frame["outstanding"], np.clip(cumulative - frame["credit"], 0.0, None)
	).astype(float)
	return frame.drop(columns=["credit"]).reset_index(drop=True)


def _credit_per_group(invoices: pd.DataFrame, credits: pd.DataFrame | None) -> pd.DataFrame:
	"""Unapplied credit notes and unallocated advances per customer and company."""
	notes = invoices.loc[invoices["outstanding"] < -CENT, ["customer", "company", "outstanding"]]
	parts = [notes.assign(credit=-notes["outstanding"])[["customer", "company", "credit"]]]
	if credits is not None and not credits.empty:
		parts.append(credits.rename(columns={"amount": "credit"})[["customer", "company", "credit"]])
	frame = pd.concat(parts, ignore_index=True)
	frame["credit"] = frame["credit"].astype(float)
	return frame.groupby(["customer", "company"], as_index=False)["credit"].sum()


def _empty() -> pd.DataFrame:
	return pd.DataFrame(
		{
			"customer": pd.Series(dtype=object),
			"company": pd.Series(dtype=object),
			"oldest_due": pd.Series(dtype="datetime64[ns]"),
			"outstanding": pd.Series(dtype=float),
		}
	)


def worst_debt_per_customer(debts: pd.DataFrame) -> pd.DataFrame:
	"""One row per customer: the company whose counted debt is oldest, its date, and the total."""
	if debts.empty:
		return pd.DataFrame(columns=["customer", "company", "oldest_due", "outstanding"])
	total = debts.groupby("customer")["outstanding"].sum()
	ordered = debts.sort_values(["customer", "oldest_due"], na_position="last", kind="stable")
	worst = ordered.drop_duplicates("customer").set_index("customer")
	worst["outstanding"] = total
	return worst.reset_index()[DEBT_COLUMNS]
