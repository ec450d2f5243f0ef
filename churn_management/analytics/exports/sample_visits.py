"""Club cards, visits and starter services for the fitness sample, so the lifecycle has data to segment.

Each sample customer holds a chain of cards (12 months for annual contracts, 3 months otherwise),
each renewing the one before, the last one cut at the churn date. Members come one to four times a
week in the last ``VISIT_DAYS`` days; leavers stop coming some weeks before they leave and some
members still holding a card have stopped coming. New members owe a starter package of four
services, delivered more often to members who come often; a few buy personal training after it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VISIT_DAYS = 180
DEPARTMENTS = {"Gym": 0.55, "Pool": 0.2, "Group classes": 0.2, "Personal training": 0.05}
STARTER_SERVICES = (
	("Intro session", "Gym", 3),
	("Fitness test", "Gym", 10),
	("First pool session", "Pool", 21),
	("First group class", "Group classes", 21),
)


def club_tables(customers: pd.DataFrame, seed: int, as_of) -> dict[str, pd.DataFrame]:
	"""Memberships, visits and starter services of the sample's customers."""
	rng = np.random.default_rng(seed + 7919)
	as_of = pd.Timestamp(as_of).normalize()
	cards = _memberships(customers, as_of)
	rate = rng.gamma(2.0, 1.0, len(customers)) + 0.3  # visits a week
	visits = _visits(customers, rate, rng, as_of)
	starter = _starter(cards, customers, rate, rng, as_of)
	return {"memberships": cards, "visits": visits, "starter": starter}


def _memberships(customers: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
	start = pd.to_datetime(customers["start_date"]).to_numpy().astype("datetime64[D]")
	churn = pd.to_datetime(customers["end_date"]).to_numpy().astype("datetime64[D]")
	months = np.where(customers.get("contract_type", pd.Series("", index=customers.index)) == "Annual", 12, 3)
	length = np.round(months * 30.44).astype(int)
	stop = np.where(np.isnat(churn), np.datetime64(as_of.date()), churn)
	counts = np.maximum(np.ceil((stop - start).astype(int) / length).astype(int), 1)
	owner = np.repeat(np.arange(len(customers)), counts)
	index = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
	card_start = start[owner] + (index * length[owner]).astype("timedelta64[D]")
	card_end = card_start + (length[owner] - 1).astype("timedelta64[D]")
	last = index == counts[owner] - 1
	churned = ~np.isnat(churn[owner]) & last
	cancelled = churned & (churn[owner] < card_end - np.timedelta64(7, "D"))
	card_end = np.where(churned, churn[owner], card_end)
	ids = customers["customer_id"].to_numpy()[owner]
	names = np.char.add(np.char.add(ids.astype(str), "-"), (index + 1).astype(str))
	status = np.where(
		~last,
		"Renewed",
		np.where(
			cancelled,
			"Cancelled",
			np.where(churned | (card_end < np.datetime64(as_of.date())), "Expired", "Active"),
		),
	)
	return pd.DataFrame(
		{
			"membership": names,
			"member": ids,
			"club": customers["territory"].to_numpy()[owner],
			"card_type": np.where(months[owner] == 12, "Annual card", "Quarter card"),
			"start_date": card_start.astype("datetime64[ns]"),
			"end_date": card_end.astype("datetime64[ns]"),
			"status": status,
			"renews": np.where(
				index > 0, np.char.add(np.char.add(ids.astype(str), "-"), index.astype(str)), None
			),
			"cancelled_on": np.where(cancelled, churn[owner], np.datetime64("NaT")).astype("datetime64[ns]"),
		}
	)


def _visits(
	customers: pd.DataFrame, rate: np.ndarray, rng: np.random.Generator, as_of: pd.Timestamp
) -> pd.DataFrame:
	n = len(customers)
	today = np.datetime64(as_of.date())
	start = pd.to_datetime(customers["start_date"]).to_numpy().astype("datetime64[D]")
	churn = pd.to_datetime(customers["end_date"]).to_numpy().astype("datetime64[D]")
	first = np.maximum(start, today - np.timedelta64(VISIT_DAYS, "D"))
	faded = rng.random(n) < 0.12
	stop = np.where(
		np.isnat(churn),
		np.where(faded, today - rng.integers(15, 50, n).astype("timedelta64[D]"), today),
		churn - rng.integers(10, 60, n).astype("timedelta64[D]"),
	)
	span = np.maximum((stop - first).astype(int), 0)
	counts = rng.poisson(rate * span / 7)
	owner = np.repeat(np.arange(n), counts)
	day = first[owner] + (rng.random(len(owner)) * (span[owner] + 1)).astype(int).astype("timedelta64[D]")
	minutes = rng.integers(7 * 60, 22 * 60, len(owner)).astype("timedelta64[m]")
	checkin = day.astype("datetime64[m]") + minutes
	order = np.lexsort((checkin, owner))
	ids = customers["customer_id"].to_numpy()
	frame = pd.DataFrame(
		{
			"external_id": np.char.add("V", np.arange(1, len(owner) + 1).astype(str)),
			"member": ids[owner][order],
			"club": customers["territory"].to_numpy()[owner][order],
			"department": rng.choice(list(DEPARTMENTS), size=len(owner), p=list(DEPARTMENTS.values())),
			"checkin": checkin[order].astype("datetime64[ns]"),
		}
	)
	checkout = frame["checkin"] + pd.to_timedelta(rng.integers(45, 120, len(frame)), unit="m")
	# written with their time of day (the sample's CSV writer keeps dates only)
	frame["checkin"] = frame["checkin"].dt.strftime("%Y-%m-%d %H:%M:%S")
	frame["checkout"] = checkout.dt.strftime("%Y-%m-%d %H:%M:%S")
	return frame


def _starter(
	cards: pd.DataFrame,
	customers: pd.DataFrame,
	rate: np.ndarray,
	rng: np.random.Generator,
	as_of: pd.Timestamp,
) -> pd.DataFrame:
	firsts = cards[cards["renews"].isna() & (cards["start_date"] > as_of - pd.Timedelta(days=120))]
	engagement = pd.Series(rate, index=customers["customer_id"].to_numpy())
	rows = []
	for service, department, days in STARTER_SERVICES:
		due = firsts["start_date"] + pd.Timedelta(days=days)
		chance = np.clip(0.35 + 0.2 * firsts["member"].map(engagement).to_numpy(), 0, 0.95)
		delivered = (rng.random(len(firsts)) < chance) & (
			due <= as_of + pd.Timedelta(days=rng.integers(0, 5))
		)
		rows.append(
			pd.DataFrame(
				{
					"member": firsts["member"].to_numpy(),
					"service": service,
					"department": department,
					"due_date": due.to_numpy(),
					"delivered": delivered,
				}
			)
		)
	starter = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
	if starter.empty:
		return starter
	complete = starter.groupby("member")["delivered"].transform("all")
	starter["pt_sale"] = complete & (rng.random(len(starter)) < 0.18)
	starter["pt_sale"] = starter.groupby("member")["pt_sale"].transform("any")
	return starter.sort_values(["member", "due_date"]).reset_index(drop=True)
