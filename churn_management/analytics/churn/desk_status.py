"""The churn status of every customer in the desk, decided once a day (DOMAIN.md §1).

Inputs (all DataFrames):

==============  ============================================================================
customers       customer, churn_status (current, may be empty)
debts           customer, company, oldest_due, outstanding: :func:`net_debt.net_debts` (the
                debt that counts: net, per company, past its minimum age and amount, due after
                the customer's latest return)
open_records    record, customer, company, churn_date, returnable (bool: an involuntary record
                made for non-payment, which a payment in full closes)
pending         customer: who has a termination application or a suspension request under
                way (optional)
==============  ============================================================================

Rules, in order: a customer with counted debt is Overdue once it is past the grace days and
Pre-churn from ``pre_churn_days``; a pending application or suspension makes Pre-churn too; a
customer ``churn_after_months`` past the oldest counted due date without an open record needs
an involuntary churn record dated that day; an open record makes the customer Pre-churn until
its date and Churned from it; an open non-payment record whose company's debt is paid in full
is closed as returned by payment, and the customer is Active again. "Won back" stays while the
customer owes nothing new.

Output of :func:`status_updates`, only for customers whose status changes, who need a record,
or whose record is returned: customer, status, needs_record, churn_date (of the new record),
company (of the debt behind the new record), returned_record (the record to close), days_overdue,
outstanding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_management.analytics.churn.states import Thresholds
from churn_management.analytics.debt.net_debt import worst_debt_per_customer

CUSTOMER_STATUSES = ("Active", "Overdue", "Pre-churn", "Churned", "Won back")
OUTPUT_COLUMNS = [
	"customer",
	"status",
	"needs_record",
	"churn_date",
	"company",
	"returned_record",
	"days_overdue",
	"outstanding",
]


def status_updates(
	customers: pd.DataFrame,
	debts: pd.DataFrame,
	open_records: pd.DataFrame,
	as_of,
	thresholds: Thresholds | None = None,
	pending: pd.DataFrame | None = None,
) -> pd.DataFrame:
	"""The status every customer should have today (see the module docstring)."""
	thresholds = thresholds or Thresholds()
	as_of = pd.Timestamp(as_of).normalize()
	returned = _returned_records(open_records, debts)
	still_open = open_records[~open_records["record"].isin(returned["record"])]

	frame = customers[["customer", "churn_status"]].copy()
	frame = frame.merge(worst_debt_per_customer(debts), on="customer", how="left")
	frame = frame.merge(
		still_open[["customer", "churn_date"]].rename(columns={"churn_date": "record_date"}),
		on="customer",
		how="left",
	)
	frame = frame.merge(
		returned[["customer", "record"]].rename(columns={"record": "returned_record"}),
		on="customer",
		how="left",
	)
	oldest = pd.to_datetime(frame["oldest_due"])
	record_date = pd.to_datetime(frame["record_date"])
	days = (as_of - oldest).dt.days.fillna(0).clip(lower=0).astype("int64")
	non_payment_date = oldest + pd.DateOffset(months=thresholds.churn_after_months)
	has_record = record_date.notna()
	needs_record = ~has_record & oldest.notna() & (non_payment_date <= as_of)
	is_pending = frame["customer"].isin(pending["customer"]) if pending is not None else False
	returning = frame["returned_record"].notna()

	was_won_back = frame["churn_status"].eq("Won back") & ~returning
	status = np.where(was_won_back, "Won back", "Active").astype(object)
	status[(days > thresholds.grace_days).to_numpy()] = "Overdue"
	status[((days >= thresholds.pre_churn_days) | is_pending).to_numpy()] = "Pre-churn"
	status[needs_record.to_numpy()] = "Churned"
	status[(has_record & (record_date > as_of)).to_numpy()] = "Pre-churn"
	status[(has_record & (record_date <= as_of)).to_numpy()] = "Churned"

	frame["status"] = status
	frame["needs_record"] = needs_record
	frame["churn_date"] = non_payment_date.where(needs_record)
	frame["company"] = frame["company"].where(needs_record)
	frame["days_overdue"] = days
	frame["outstanding"] = frame["outstanding"].fillna(0.0)
	changed = frame["status"].ne(frame["churn_status"].fillna("")) | needs_record | returning
	result = frame.loc[changed, OUTPUT_COLUMNS].reset_index(drop=True)
	result["returned_record"] = (
		result["returned_record"].astype(object).where(result["returned_record"].notna(), None)
	)
	return result


def _returned_records(open_records: pd.DataFrame, debts: pd.DataFrame) -> pd.DataFrame:
	"""Open non-payment records whose company's debt is now paid in full."""
	if open_records.empty:
		return pd.DataFrame(columns=["record", "customer"])
	candidates = open_records[open_records["returnable"].astype(bool)]
	owing = debts[["customer", "company"]].drop_duplicates().assign(owes=True)
	merged = candidates.merge(owing, on=["customer", "company"], how="left")
	return merged.loc[merged["owes"].isna(), ["record", "customer"]].reset_index(drop=True)
