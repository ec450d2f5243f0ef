"""The core's input tables (:mod:`schema`) from what a subscription site keeps, without a site.

A site keeps customers, subscriptions with plans, invoices and a register of churn records. These
functions turn the rows read from it into the four tables ``churn-analytics diagnose`` reads from
export files, so that the desk and the command-line tool diagnose the same data:

* customers: the start is the first subscription's, else the first invoice's, else the customer's creation; a
  customer has an end date when their latest churn record up to the as-of date is not won back by
  then; the tariff and monthly fee are those of the running subscriptions (of the churn record for
  a churned customer); won_back_date is the latest return up to the as-of date.
* invoices: amount, and what was paid, dated when the invoice last changed (its outstanding amount).
* terminations: one per voluntary churn that stands, with its reason ("Not recorded" without one).
  Involuntary churn is the core's own: an end date left with unpaid invoices.
* reasons: the leaves of the classifier tree with their group (the parent), managed flag and target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_management.analytics.churn.states import NOT_RECORDED

ENDED_SUBSCRIPTION = ("Cancelled", "Completed")
CUSTOMER_TYPES = {"Company": "B2B", "Individual": "B2C", "Partnership": "B2B", "Proprietorship": "B2B"}
MONTHS_PER_INTERVAL = {"Day": 1 / 30.4375, "Week": 7 / 30.4375, "Month": 1.0, "Year": 12.0}
SUBSCRIPTION_COLUMNS = [
	"customer",
	"status",
	"start_date",
	"plan",
	"qty",
	"cost",
	"billing_interval",
	"billing_interval_count",
]
RECORD_COLUMNS = [
	"customer",
	"churn_date",
	"churn_kind",
	"churn_reason",
	"won_back_date",
	"lost_mrr",
	"tariff",
]
INVOICE_COLUMNS = ["customer", "due_date", "amount", "outstanding", "modified"]
REASON_COLUMNS = ["reason", "group", "managed", "target_share", "customer_type"]


def subscription_profiles(rows: pd.DataFrame) -> pd.DataFrame:
	"""Per customer: first subscription start, tariff and monthly fee of the running subscriptions.

	``rows`` has one row per subscription and plan (SUBSCRIPTION_COLUMNS); a customer with no
	running subscription is described by the latest one started.
	"""
	columns = ["start_date", "tariff", "monthly_fee"]
	if rows.empty:
		return pd.DataFrame(columns=columns, index=pd.Index([], name="customer"))
	rows = rows.assign(start_date=pd.to_datetime(rows["start_date"]))
	months = rows["billing_interval"].map(MONTHS_PER_INTERVAL).fillna(1.0)
	count = pd.to_numeric(rows["billing_interval_count"], errors="coerce").fillna(1).clip(lower=1)
	quantity = pd.to_numeric(rows["qty"], errors="coerce").fillna(1)
	rows = rows.assign(
		monthly=pd.to_numeric(rows["cost"], errors="coerce").fillna(0) * quantity / (months * count)
	)
	running = ~rows["status"].isin(ENDED_SUBSCRIPTION).to_numpy()
	if not rows["customer"].duplicated().any():  # one plan of one subscription each: nothing to add up
		table = rows.set_index("customer")
		return pd.DataFrame(
			{
				"start_date": table["start_date"],
				"tariff": table["plan"],
				"monthly_fee": table["monthly"].round(2),
			}
		).rename_axis("customer")
	codes, names = pd.factorize(rows["customer"])  # group on integers, not on text
	has_running = pd.Series(running).groupby(codes).transform("any").to_numpy()
	latest = (rows["start_date"] == rows["start_date"].groupby(codes).transform("max")).to_numpy()
	chosen = rows[running | (~has_running & latest)]
	chosen_codes = codes[running | (~has_running & latest)]
	first = pd.Series(rows["start_date"].groupby(codes).min().to_numpy(), index=names)
	fee = pd.Series(chosen["monthly"].groupby(chosen_codes).sum().round(2))
	fee.index = names[fee.index]
	tariff = _plans_text(chosen.dropna(subset=["plan"]).drop_duplicates(["customer", "plan"]))
	return pd.DataFrame({"start_date": first, "tariff": tariff, "monthly_fee": fee}).rename_axis("customer")


def _plans_text(rows: pd.DataFrame) -> pd.Series:
	"""Per customer the plans' names joined by commas (joined in Python only for those with several)."""
	several = rows["customer"].duplicated(keep=False).to_numpy()
	single = rows[~several].set_index("customer")["plan"]
	joined = rows[several].groupby("customer")["plan"].agg(", ".join)
	return pd.concat([single, joined])


def register_profiles(records: pd.DataFrame, as_of) -> pd.DataFrame:
	"""Per customer, from the churn register as of a date: the churn that stands, and the last return.

	Columns: end_date (NaT when the customer is with us as of the date), churn_kind, churn_reason,
	lost_mrr, tariff (of the churn that stands) and won_back_date (latest return by the date).
	"""
	as_of = pd.Timestamp(as_of)
	records = records.assign(
		churn_date=pd.to_datetime(records["churn_date"]),
		won_back_date=pd.to_datetime(records["won_back_date"]),
	)
	records = records[records["churn_date"] <= as_of]
	returned = records["won_back_date"].where(records["won_back_date"] <= as_of)
	won_back = returned.groupby(records["customer"]).max()
	latest = records.sort_values(["churn_date", "won_back_date"], na_position="last").drop_duplicates(
		"customer", keep="last"
	)
	stands = latest[latest["won_back_date"].isna() | (latest["won_back_date"] > as_of)]
	profile = stands.set_index("customer")[["churn_date", "churn_kind", "churn_reason", "lost_mrr", "tariff"]]
	profile = profile.rename(columns={"churn_date": "end_date"})
	profile = profile.reindex(profile.index.union(won_back.index))
	profile["won_back_date"] = won_back.reindex(profile.index)
	profile.index.name = "customer"
	return profile


def customers_table(
	customers: pd.DataFrame,
	subscriptions: pd.DataFrame,
	first_invoices: pd.Series,
	register: pd.DataFrame,
	extra: dict[str, pd.Series] | None = None,
) -> pd.DataFrame:
	"""The core's customers table: one row per customer with a start, as described in the module."""
	frame = customers.set_index("customer")
	subscribed = subscriptions.reindex(frame.index)
	registered = register.reindex(frame.index)
	invoiced = pd.to_datetime(first_invoices).reindex(frame.index)
	start = subscribed["start_date"].fillna(invoiced)
	if "creation" in frame:
		start = start.fillna(pd.to_datetime(frame["creation"]).dt.normalize())
	churned = registered["end_date"].notna()
	table = pd.DataFrame(
		{
			"customer_id": frame.index.astype(str),
			"start_date": start.to_numpy(),
			"end_date": registered["end_date"].to_numpy(),
			"tariff": subscribed["tariff"]
			.where(~churned, registered["tariff"].fillna(subscribed["tariff"]))
			.to_numpy(),
			"monthly_fee": subscribed["monthly_fee"]
			.where(~churned, registered["lost_mrr"])
			.fillna(0.0)
			.to_numpy(),
			"won_back_date": registered["won_back_date"].to_numpy(),
		}
	)
	if "customer_type" in frame:
		table.insert(3, "customer_type", frame["customer_type"].map(CUSTOMER_TYPES).to_numpy())
	if "territory" in frame:
		table.insert(4, "territory", frame["territory"].to_numpy())
	# a churn on the start day or before the first invoice: the start is the churn at the latest
	table["start_date"] = table["start_date"].where(
		table["end_date"].isna() | (table["start_date"] <= table["end_date"]), table["end_date"]
	)
	for name, values in (extra or {}).items():
		table[name] = values.reindex(frame.index).to_numpy()
	return table


def only_tariff(customers: pd.DataFrame, tariff: str | None) -> pd.DataFrame:
	"""The customers on a tariff (one of the plans in their tariff text)."""
	if not tariff:
		return customers
	plans = customers["tariff"].fillna("").str.split(", ")
	return customers[plans.map(lambda names: tariff in names).to_numpy(dtype=bool)].reset_index(drop=True)


def invoices_table(rows: pd.DataFrame) -> pd.DataFrame:
	"""The core's invoices: amount, paid amount, and the day the outstanding amount last changed."""
	amount = pd.to_numeric(rows["amount"], errors="coerce").fillna(0.0)
	outstanding = pd.to_numeric(rows["outstanding"], errors="coerce").fillna(0.0).clip(lower=0)
	paid = (amount - outstanding).clip(lower=0).round(2)
	changed = pd.to_datetime(rows["modified"]).dt.normalize()
	return pd.DataFrame(
		{
			"customer_id": rows["customer"].astype(str).to_numpy(),
			"due_date": pd.to_datetime(rows["due_date"]).to_numpy(),
			"amount": amount.round(2).to_numpy(),
			"paid_date": changed.where(paid > 0).to_numpy(),
			"paid_amount": paid.to_numpy(),
		}
	)


def terminations_table(register: pd.DataFrame) -> pd.DataFrame:
	"""One terminated application per voluntary churn that stands, with its reason."""
	voluntary = register[register["end_date"].notna() & (register["churn_kind"] == "Voluntary")]
	return pd.DataFrame(
		{
			"customer_id": voluntary.index.astype(str),
			"date": voluntary["end_date"].to_numpy(),
			"reason": voluntary["churn_reason"].fillna(NOT_RECORDED).to_numpy(),
			"outcome": "Terminated",
		}
	)


def reasons_table(rows: pd.DataFrame) -> pd.DataFrame:
	"""The classifier's leaves: reason, group, managed (yes/no), target share (percent), customer type."""
	return pd.DataFrame(
		{
			"reason": rows["reason"].astype(str).to_numpy(),
			"group": rows["group"].fillna("").astype(str).to_numpy(),
			"managed": np.where(pd.to_numeric(rows["managed"]).fillna(0).astype(int) > 0, "yes", "no"),
			"target_share": pd.to_numeric(rows["target_share"], errors="coerce").to_numpy(),
			"customer_type": rows["customer_type"].fillna("Both").to_numpy(),
		}
	)


def count_bands(counts: pd.Series, label_none: str = "0", label_many: str = "2+") -> pd.Series:
	"""Counts (complaints, outages) as three bands a lifetime comparison can use: 0, 1, 2+."""
	values = pd.to_numeric(counts, errors="coerce").fillna(0)
	return pd.Series(
		np.where(values <= 0, label_none, np.where(values == 1, "1", label_many)), index=counts.index
	)
