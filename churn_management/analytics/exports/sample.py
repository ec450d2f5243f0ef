"""A realistic synthetic customer base for a vertical, for demos, tests and benchmarks.

The base has seasonality, a reason mix taken from the vertical's classifier preset, B2B and B2C
customers, tariffs, territories, acquisition channels and contract types that each change how
long customers stay, late payers, customers overdue now, non-payment churn (some not yet closed
in billing), terminations with the customer's own words, retention attempts that kept the
customer, and personal columns (name, phone, e-mail, address) for the pseudonymiser to remove.
The same seed gives the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from churn_management.analytics.churn.presets import (
	available_languages,
	classifier_table,
	load_preset,
	reason_rows,
)
from churn_management.analytics.exports.files import replacing

DEFAULT_AS_OF = pd.Timestamp("2026-06-30")
HISTORY_MONTHS = 60


@dataclass(frozen=True)
class Vertical:
	tariffs: dict[str, tuple[float, float, str]]  # name -> (monthly fee, churn multiplier, B2B/B2C/Both)
	b2b_share: float
	monthly_churn: float
	seasonality: tuple[float, ...]  # churn multiplier per calendar month
	involuntary_share: float
	territories: dict[str, float]


VERTICALS = {
	"security": Vertical(
		tariffs={
			"Apartment Basic": (890, 1.25, "B2C"),
			"House Standard": (1490, 1.0, "B2C"),
			"House Premium": (2490, 0.7, "B2C"),
			"Office": (3500, 0.9, "B2B"),
			"Retail & Warehouse": (6900, 0.75, "B2B"),
		},
		b2b_share=0.25,
		monthly_churn=0.017,
		seasonality=(1.05, 0.95, 1.0, 1.1, 1.3, 1.35, 1.15, 1.0, 0.9, 0.85, 0.85, 1.1),
		involuntary_share=0.3,
		territories={"Central": 0.9, "Northern": 1.0, "Southern": 1.1, "Suburbs": 1.3},
	),
	"isp": Vertical(
		tariffs={
			"Home 100": (550, 1.3, "B2C"),
			"Home 300 + TV": (850, 1.0, "B2C"),
			"Home 500 + TV Max": (1190, 0.8, "B2C"),
			"Business 200": (2900, 0.85, "B2B"),
		},
		b2b_share=0.1,
		monthly_churn=0.022,
		seasonality=(0.9, 0.85, 0.9, 1.0, 1.15, 1.3, 1.35, 1.25, 1.05, 0.85, 0.75, 0.75),
		involuntary_share=0.35,
		territories={"District 1": 0.9, "District 2": 1.0, "District 3": 1.15, "New Town": 1.3},
	),
	"fitness": Vertical(
		tariffs={
			"Morning": (1900, 1.2, "B2C"),
			"Unlimited": (3500, 1.0, "B2C"),
			"Unlimited + Pool": (4900, 0.85, "B2C"),
			"Corporate": (2800, 0.8, "B2B"),
		},
		b2b_share=0.06,
		monthly_churn=0.045,
		seasonality=(0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.45, 1.3, 0.95, 0.85, 0.8, 1.0),
		involuntary_share=0.2,
		territories={"Club Center": 0.9, "Club Riverside": 1.05, "Club Park": 1.15},
	),
}
CHANNELS = {"Website": 1.1, "Sales agent": 1.0, "Office": 0.9, "Referral": 0.75}
CONTRACTS = {"Monthly": 1.0, "Annual": 0.55}
FIRST_NAMES = ("Ivan", "Olga", "Sergey", "Anna", "Dmitry", "Elena", "Pavel", "Maria", "Alexey", "Natalia")
LAST_NAMES = ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov")
STREETS = ("Lenina", "Sadovaya", "Mira", "Sovetskaya", "Gagarina", "Pushkina", "Lesnaya")


def generate(
	vertical: str = "security",
	customers: int = 5000,
	seed: int = 1,
	as_of=DEFAULT_AS_OF,
	progress=None,
	language: str = "en",
) -> dict:
	"""Synthetic tables: customers, invoices, terminations and reasons (DataFrames).

	``progress`` is called with a short English phrase before each long step; ``language`` is that
	of the reasons (the vertical's preset in English or Russian).
	"""
	if customers < 1:
		raise ValueError("the number of customers must be at least 1")
	say = progress or (lambda message: None)
	spec = VERTICALS[vertical]
	preset = load_preset(vertical, language if language in available_languages(vertical) else "en")
	rng = np.random.default_rng(seed)
	as_of = pd.Timestamp(as_of).normalize()
	say("Making the customers")
	base = _customers(spec, customers, rng, as_of)
	say("Simulating churn")
	churn = _simulate_churn(spec, base, rng, as_of)
	base = base.assign(**churn)
	say("Making the invoices")
	invoices = _invoices(base, rng, as_of)
	say("Making the terminations")
	terminations = _terminations(base, preset, rng, as_of)
	base["end_date"] = base["end_date"].where(~base.pop("billing_open"))
	columns = [
		"customer_id",
		"name",
		"phone",
		"email",
		"address",
		"start_date",
		"end_date",
		"customer_type",
		"territory",
		"tariff",
		"monthly_fee",
		"channel",
		"contract_type",
		"won_back_date",
	]
	tables = {
		"customers": base[columns],
		"invoices": invoices,
		"terminations": terminations,
		"reasons": classifier_table(preset),
	}
	if vertical == "fitness":  # club cards, visits and starter services for the lifecycle
		from churn_management.analytics.exports.sample_visits import club_tables

		say("Making the club cards and visits")
		tables.update(club_tables(tables["customers"], seed, as_of))
	return tables


def _customers(spec: Vertical, n: int, rng: np.random.Generator, as_of: pd.Timestamp) -> pd.DataFrame:
	"""Who the customers are and when they started (more starts in recent, growing years)."""
	ages = HISTORY_MONTHS * (1 - np.sqrt(rng.random(n)))  # months before as-of, denser recently
	start = as_of - pd.to_timedelta(np.round(ages * 30.44), unit="D")
	is_b2b = rng.random(n) < spec.b2b_share
	tariffs = list(spec.tariffs)
	fit_b2b = np.array([spec.tariffs[t][2] in ("B2B", "Both") for t in tariffs])
	fit_b2c = ~fit_b2b | np.array([spec.tariffs[t][2] == "Both" for t in tariffs])
	pick = rng.random((n, len(tariffs))) * np.where(is_b2b[:, None], fit_b2b, fit_b2c)
	choice = pick.argmax(axis=1)
	del pick
	tariff = np.array(tariffs)[choice]
	territory = rng.choice(list(spec.territories), size=n, p=_weights(len(spec.territories)))
	ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
	fee = np.array([spec.tariffs[t][0] for t in tariffs], dtype=float)[choice]
	won_back = rng.random(n) < 0.04
	first = rng.choice(FIRST_NAMES, size=n)
	last = rng.choice(LAST_NAMES, size=n)
	return pd.DataFrame(
		{
			"customer_id": _text(ids),
			"name": _text(np.char.add(np.char.add(first, " "), last)),
			"phone": _text(np.char.add("+7 9", np.char.zfill(rng.integers(0, 10**9, n).astype(str), 9))),
			"email": _text(np.char.add(np.char.lower(first), np.char.add(ids, "@example.com"))),
			"address": _text(_addresses(n, rng)),
			"start_date": start,
			"customer_type": _text(np.where(is_b2b, "B2B", "B2C")),
			"territory": _text(territory),
			"tariff": _text(tariff),
			"monthly_fee": fee,
			"channel": _text(rng.choice(list(CHANNELS), size=n, p=[0.35, 0.3, 0.2, 0.15])),
			"contract_type": _text(np.where(rng.random(n) < 0.2, "Annual", "Monthly")),
			"won_back_date": pd.Series(start).where(won_back).to_numpy(),
		}
	)


def _text(values: np.ndarray) -> pd.arrays.ArrowStringArray:
	"""Generated text kept in Arrow memory: a few bytes a value instead of a Python object each."""
	import pyarrow as pa

	return pd.arrays.ArrowStringArray(pa.array(values, type=pa.string()))


def _addresses(n: int, rng: np.random.Generator) -> np.ndarray:
	house = rng.integers(1, 120, n).astype(str)
	street = np.char.add(np.char.add(" ", rng.choice(STREETS, n)), " St, apt ")
	return np.char.add(np.char.add(house, street), rng.integers(1, 200, n).astype(str))


def _weights(k: int) -> np.ndarray:
	weights = np.linspace(1.6, 0.8, k)
	return weights / weights.sum()


def _simulate_churn(
	spec: Vertical, base: pd.DataFrame, rng: np.random.Generator, as_of: pd.Timestamp
) -> dict:
	"""Month by month, each customer leaves with a hazard set by who they are and the season."""
	n = len(base)
	multiplier = (
		base["tariff"].map({t: v[1] for t, v in spec.tariffs.items()}).to_numpy()
		* base["territory"].map(spec.territories).to_numpy()
		* base["channel"].map(CHANNELS).to_numpy()
		* base["contract_type"].map(CONTRACTS).to_numpy()
		* np.where(base["customer_type"] == "B2B", 0.8, 1.0)
		* np.where(base["won_back_date"].notna(), 1.3, 1.0)
		* rng.gamma(4.0, 0.25, n)
	)
	start = base["start_date"].to_numpy()
	churn_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
	months = pd.date_range(as_of - pd.DateOffset(months=HISTORY_MONTHS), as_of, freq="MS")
	for month in months:
		month_start = month.to_datetime64()
		alive = (start < month_start) & np.isnat(churn_date)
		tenure = (month_start - start[alive]).astype("timedelta64[D]").astype(float) / 30.44
		early = np.where(tenure < 6, 1.6, np.where(tenure < 12, 1.2, 1.0))
		hazard = spec.monthly_churn * spec.seasonality[month.month - 1] * multiplier[alive] * early
		leaving = rng.random(alive.sum()) < np.clip(hazard, 0, 0.9)
		days = rng.integers(0, month.days_in_month, leaving.sum())
		idx = np.flatnonzero(alive)[leaving]
		churn_date[idx] = month_start + days.astype("timedelta64[D]")
	churned = ~np.isnat(churn_date) & (churn_date <= as_of.to_datetime64())
	churn_date[~churned] = np.datetime64("NaT")
	involuntary = churned & (rng.random(n) < spec.involuntary_share)
	return {
		"end_date": churn_date,
		"involuntary": involuntary,
		"billing_open": involuntary & (rng.random(n) < 0.5),
	}


def _invoices(base: pd.DataFrame, rng: np.random.Generator, as_of: pd.Timestamp) -> pd.DataFrame:
	"""Monthly invoices; late payers, customers overdue now, and non-payers before their churn."""
	start = base["start_date"].to_numpy().astype("datetime64[M]")
	last = np.where(
		base["end_date"].isna(),
		np.datetime64(as_of, "M"),
		base["end_date"].to_numpy().astype("datetime64[M]"),
	)
	counts = np.maximum((last - start).astype(int) + 1, 1)
	# int32 positions and in-place steps: millions of invoices, as few full-length arrays as possible
	owner = np.repeat(np.arange(len(base), dtype=np.int32), counts)
	offset = np.arange(counts.sum(), dtype=np.int32)
	offset -= np.repeat((np.cumsum(counts) - counts).astype(np.int32), counts)
	due = start[owner]
	due += offset.astype("timedelta64[M]")
	del offset
	due = due.astype("datetime64[D]")
	due += np.timedelta64(9, "D")
	keep = due <= np.datetime64(as_of.date())
	owner, due = owner[keep], due[keep]
	del keep

	late_payer = rng.random(len(base)) < 0.15
	delay = rng.integers(5, 45, len(owner))
	np.copyto(delay, rng.integers(-7, 6, len(owner)), where=~late_payer[owner])
	paid = due.copy()
	paid += delay.view("timedelta64[D]")
	del delay

	involuntary = base["involuntary"].to_numpy()
	end = base["end_date"].to_numpy()
	stopped = (end - np.timedelta64(92, "D")).astype("datetime64[D]")
	unpaid = involuntary[owner]
	unpaid &= due >= stopped[owner]
	overdue_now = (rng.random(len(base)) < 0.06) & base["end_date"].isna().to_numpy()
	recent = overdue_now[owner]
	recent &= due > np.datetime64(as_of.date()) - np.timedelta64(rng.integers(20, 75), "D")
	unpaid |= recent
	del recent
	unpaid |= paid > np.datetime64(as_of.date())
	amount = base["monthly_fee"].to_numpy()[owner]
	paid = _nanoseconds(paid)
	paid[unpaid] = np.datetime64("NaT")
	paid_amount = amount.copy()
	paid_amount[unpaid] = np.nan
	del unpaid
	return pd.DataFrame(
		{
			# each id text once, the rows point at it (millions of invoices, one text per customer)
			"customer_id": pd.Categorical.from_codes(owner, categories=pd.Index(base["customer_id"].array)),
			"due_date": _nanoseconds(due),
			"amount": amount,
			"paid_date": paid,
			"paid_amount": paid_amount,
		},
		copy=False,  # the columns as made: a copy would double the invoices' memory
	)


def _nanoseconds(days: np.ndarray) -> np.ndarray:
	"""Dates in days (no empty ones) as datetime64[ns], converted in place instead of copied."""
	ticks = days.view("int64")
	ticks *= 86_400_000_000_000
	return ticks.view("datetime64[ns]")


def _terminations(
	base: pd.DataFrame, preset: dict, rng: np.random.Generator, as_of: pd.Timestamp
) -> pd.DataFrame:
	"""Applications of voluntary leavers (with reasons and their words) and of customers kept."""
	reasons = [r for r in reason_rows(preset) if not r.get("involuntary")]
	voluntary = base["end_date"].notna() & ~base["involuntary"]
	leavers = base[voluntary]
	kept = base[base["end_date"].isna()].sample(frac=0.05, random_state=int(rng.integers(1 << 30)))
	rows = []
	for frame, outcome in ((leavers, "Terminated"), (kept, "Retained")):
		if frame.empty:
			continue
		chosen = _choose_reasons(
			frame["customer_type"].to_numpy(), reasons, rng, managed_only=outcome == "Retained"
		)
		lead = rng.integers(3, 21, len(frame)).astype("timedelta64[D]")
		anchor = (
			frame["end_date"] if outcome == "Terminated" else _random_dates(frame["start_date"], as_of, rng)
		)
		dates = (anchor.to_numpy().astype("datetime64[D]") - lead).astype("datetime64[ns]")
		dates = np.maximum(dates, frame["start_date"].to_numpy())
		words = [_pick(reasons[i].get("customer_words") or [""], rng) for i in chosen]
		methods = [_method(reasons[i], rng, tried=outcome == "Retained") for i in chosen]
		rows.append(
			pd.DataFrame(
				{
					"customer_id": frame["customer_id"].to_numpy(),
					"date": dates,
					"reason": [reasons[i]["reason_name"] for i in chosen],
					"customer_words": words,
					"outcome": outcome,
					"method": methods,
				}
			)
		)
	frame = (
		pd.concat(rows, ignore_index=True)
		if rows
		else pd.DataFrame(columns=["customer_id", "date", "reason"])
	)
	return frame.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)


def _choose_reasons(
	types: np.ndarray, reasons: list[dict], rng: np.random.Generator, managed_only: bool
) -> np.ndarray:
	weights = np.array([r["sample_weight"] for r in reasons], dtype=float)
	if managed_only:
		weights = weights * np.array([1.0 if r["managed"] else 0.0 for r in reasons])
	chosen = np.empty(len(types), dtype=int)
	for customer_type in ("B2B", "B2C"):
		fits = np.array([r["customer_type"] in (customer_type, "Both") for r in reasons])
		mask = types == customer_type
		if not mask.any():
			continue
		# the best fit first; a classifier without a fitting reason falls back to any reason
		for w in (weights * fits, fits * 1.0, np.ones(len(reasons))):
			if w.sum() > 0:
				break
		chosen[mask] = rng.choice(len(reasons), size=mask.sum(), p=w / w.sum())
	return chosen


def _random_dates(start: pd.Series, as_of: pd.Timestamp, rng: np.random.Generator) -> pd.Series:
	span = (as_of - start).dt.days.clip(lower=1).to_numpy()
	return start + pd.to_timedelta((rng.random(len(span)) * span).astype(int), unit="D")


def _pick(options: list[str], rng: np.random.Generator) -> str:
	return options[int(rng.integers(len(options)))]


def _method(reason: dict, rng: np.random.Generator, tried: bool) -> str | None:
	methods = reason.get("methods") or []
	if not methods or (not tried and rng.random() < 0.4):
		return None
	return methods[int(rng.integers(len(methods)))]["method_name"]


def write_tables(tables: dict, folder) -> list[Path]:
	"""Write tables as CSV files (ISO dates, plain numbers), each whole or not at all."""
	folder = Path(folder)
	folder.mkdir(parents=True, exist_ok=True)
	paths = []
	for name, frame in tables.items():
		path = folder / f"{name}.csv"
		with replacing(path) as temporary:
			frame.to_csv(temporary, index=False, date_format="%Y-%m-%d", float_format="%.2f")
		paths.append(path)
	return paths
