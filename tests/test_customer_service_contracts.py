"""Annual contracts: the term, the prepaid amount and its discount, the renewal rate."""

from datetime import date

import pandas as pd
import pytest

from churn_management.analytics.customer_service.contracts import (
	is_full_term,
	prepaid_amount,
	renewal_start,
	savings,
	term_end,
)
from churn_management.analytics.customer_service.renewals import expiring_by, renewal_rate


def test_a_term_runs_twelve_whole_months():
	assert term_end(date(2026, 3, 10)) == date(2027, 3, 9)
	assert term_end(date(2026, 1, 1)) == date(2026, 12, 31)
	assert term_end(date(2024, 2, 29)) == date(2025, 2, 27)  # as ERPNext counts a year
	assert term_end(date(2026, 1, 31), 1) == date(2026, 2, 27)


def test_shorter_or_longer_terms_are_not_full():
	assert is_full_term(date(2026, 3, 10), date(2027, 3, 9))
	assert not is_full_term(date(2026, 3, 10), date(2027, 3, 10))
	assert not is_full_term(date(2026, 3, 10), date(2027, 2, 9))
	assert not is_full_term(date(2026, 3, 10), date(2026, 3, 9))


def test_the_prepaid_year_is_the_monthly_charges_less_the_discount():
	assert prepaid_amount(1000, 10) == 10800
	assert prepaid_amount(990, 0) == 11880
	assert prepaid_amount(333.33, 15) == 3399.97
	assert savings(1000, 10) == 1200
	assert savings(990, 0) == 0
	with pytest.raises(ValueError):
		prepaid_amount(1000, 120)


def test_a_renewal_starts_the_day_after():
	assert renewal_start(date(2027, 3, 9)) == date(2027, 3, 10)
	assert renewal_start(date(2026, 12, 31)) == date(2027, 1, 1)


def test_the_renewal_rate_counts_only_decided_contracts():
	assert renewal_rate(pd.Series(["Renewed", "Lapsed", "Active", "Expiring"])) == 50.0
	assert renewal_rate(pd.Series(["Renewed", "Renewed", "Lapsed"])) == 66.7
	assert renewal_rate(pd.Series(["Active", "Expiring"])) is None
	assert renewal_rate(pd.Series([], dtype=object)) is None


def test_contracts_expiring_per_month_and_per_seller():
	contracts = pd.DataFrame(
		{
			"end_date": ["2027-01-09", "2027-01-20", "2027-01-31", "2027-02-01"],
			"status": ["Renewed", "Lapsed", "Expiring", "Active"],
			"sold_by": ["ann@x", "bob@x", "ann@x", None],
		}
	)
	months = expiring_by(contracts, "month")
	assert months["month"].tolist() == ["2027-01", "2027-02"]
	assert months["contracts"].tolist() == [3, 1]
	assert months["renewed"].tolist() == [1, 0]
	assert months["lapsed"].tolist() == [1, 0]
	assert months["running"].tolist() == [1, 1]
	assert months["renewal_rate"].tolist()[0] == 50.0
	assert pd.isna(months["renewal_rate"].tolist()[1])
	sellers = expiring_by(contracts, "sold_by").set_index("sold_by")
	assert sellers.loc["ann@x", "contracts"] == 2
	assert sellers.loc["ann@x", "renewal_rate"] == 100.0
	assert sellers.loc["bob@x", "renewal_rate"] == 0.0
	assert expiring_by(contracts.iloc[0:0], "month").empty
