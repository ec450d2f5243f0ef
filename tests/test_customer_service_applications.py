"""The arithmetic of the customer applications and the outage counts, without a site."""

import json
import re
from datetime import date

import pandas as pd
import pytest

from churn_management.analytics.customer_service.applications import (
	credit_for_days,
	inclusive_days,
	is_downgrade,
	monthly_price,
	months_spanned,
	overlap_days,
)
from churn_management.analytics.customer_service.outages import outages_per_customer
from tests.app_checks import APP

PRINT_FORMATS = APP / "customer_service" / "print_format"
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", re.S)


def test_days_are_counted_with_both_ends():
	assert inclusive_days("2026-03-01", "2026-03-31") == 31
	assert inclusive_days(date(2026, 3, 5), date(2026, 3, 5)) == 1
	assert inclusive_days("2026-03-05", "2026-03-04") == 0


def test_only_the_days_inside_the_billed_period_count():
	assert overlap_days("2026-02-26", "2026-03-03", "2026-03-01", "2026-03-31") == 3
	assert overlap_days("2026-02-01", "2026-02-10", "2026-03-01", "2026-03-31") == 0


@pytest.mark.parametrize(
	("days", "price", "period", "credit"),
	[
		(3, 900, 30, 90.0),
		(10, 1000, 31, 322.58),
		(31, 1000, 31, 1000.0),
		(40, 1000, 31, 1000.0),
		(0, 900, 30, 0.0),
	],
)
def test_credit_is_days_times_price_over_days_in_the_period(days, price, period, credit):
	assert credit_for_days(days, price, period) == credit


def test_every_interval_is_priced_per_month():
	assert monthly_price(12000, "Year") == 1000
	assert monthly_price(1800, "Month", 2) == 900
	assert monthly_price(70, "Day") == round(70 * 365 / 12, 2)
	assert monthly_price(100, "Week") == round(100 * 365 / 12 / 7, 2)


def test_a_cheaper_plan_is_a_downgrade():
	assert is_downgrade(monthly_price(900, "Month"), monthly_price(9600, "Year"))
	assert not is_downgrade(900, 900)
	assert not is_downgrade(900, 1200)


@pytest.mark.parametrize(
	("start", "end", "months"),
	[
		("2026-01-01", "2026-03-31", 3),
		("2026-01-15", "2026-02-14", 1),
		("2026-01-15", "2026-02-15", 2),
		("2026-01-01", "2026-01-01", 1),
		("2026-12-01", "2027-05-31", 6),
		("2026-03-02", "2026-03-01", 0),
	],
)
def test_a_started_month_counts_whole(start, end, months):
	assert months_spanned(start, end) == months


def test_each_outage_counts_once_per_customer():
	affected = pd.DataFrame(
		[("O1", "A"), ("O1", "A"), ("O2", "A"), ("O2", "B"), ("O3", None)], columns=["outage", "customer"]
	)
	counts = outages_per_customer(affected)
	assert counts.to_dict("records") == [
		{"customer": "A", "outages_12m": 2},
		{"customer": "B", "outages_12m": 1},
	]
	assert list(outages_per_customer(affected.iloc[0:0]).columns) == ["customer", "outages_12m"]


def test_application_forms_come_in_the_readers_language():
	"""No fixed print language, and every word of each form passes through _()."""
	forms = sorted(PRINT_FORMATS.glob("*/*.json"))
	assert len(forms) == 4
	for path in forms:
		form = json.loads(path.read_text(encoding="utf-8"))
		assert not form.get("default_print_language")
		assert re.findall(r"[A-Za-z]{2,}", JINJA.sub(" ", form["html"])) == [], path.name
