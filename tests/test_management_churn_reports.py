"""The management reports' arithmetic (analytics.management) on small cases computed by hand."""

import pandas as pd
import pytest

from churn_management.analytics.churn.diagnosis import diagnose
from churn_management.analytics.exports.schema import prepare
from churn_management.analytics.management.churn_reports import (
	churn_overview,
	lifetime_table,
	monthly_breakdown,
	period_rates,
	reasons_against_target,
)
from churn_management.analytics.management.site_tables import (
	RECORD_COLUMNS,
	SUBSCRIPTION_COLUMNS,
	count_bands,
	customers_table,
	invoices_table,
	only_tariff,
	reasons_table,
	register_profiles,
	subscription_profiles,
	terminations_table,
)

AS_OF = "2026-10-31"
PERIOD = (pd.Timestamp("2026-01-01"), pd.Timestamp(AS_OF))


def site_rows():
	"""The hand-made site of churn_management.tests.churn_report_utils.py as rows read from it."""
	starts = {"A": "2025-11-01", "B": "2025-11-01", "C": "2025-11-01", "D": "2025-12-01", "E": "2025-11-01"}
	starts["F"] = "2026-01-15"
	fees = {"A": 1000, "B": 1000, "C": 2000, "D": 1000, "E": 1000, "F": 500}
	customers = pd.DataFrame(
		{
			"customer": list(starts),
			"customer_type": [
				"Individual",
				"Individual",
				"Individual",
				"Company",
				"Individual",
				"Individual",
			],
			"territory": "All",
			"creation": pd.Timestamp("2026-12-01 10:00"),
		}
	)
	subscriptions = pd.DataFrame(
		{
			"customer": list(starts),
			"status": "Active",
			"start_date": list(starts.values()),
			"plan": [f"Plan {fees[c]}" for c in starts],
			"qty": 1,
			"cost": list(fees.values()),
			"billing_interval": "Month",
			"billing_interval_count": 1,
		}
	)
	records = pd.DataFrame(
		[
			("B", "2026-03-15", "Voluntary", "Too expensive", None, 1000, "Plan 1000"),
			("C", "2026-05-10", "Voluntary", "Moved away", None, 2000, "Plan 2000"),
			("D", "2026-05-01", "Involuntary", None, None, 1000, "Plan 1000"),
			("E", "2026-02-10", "Voluntary", "Too expensive", "2026-03-01", 1000, "Plan 1000"),
			("E", "2026-06-20", "Voluntary", "Too expensive", None, 1000, "Plan 1000"),
		],
		columns=RECORD_COLUMNS,
	)
	invoices = pd.DataFrame(
		[
			("D", "2026-02-01", 1000, 1000, "2026-12-07 09:00"),
			("F", "2026-10-10", 500, 500, "2026-12-07 09:00"),
		],
		columns=["customer", "due_date", "amount", "outstanding", "modified"],
	)
	reasons = pd.DataFrame(
		[("Too expensive", "Price", 1, 10, "Both"), ("Moved away", "Life", 0, 50, "Both")],
		columns=["reason", "group", "managed", "target_share", "customer_type"],
	)
	return customers, subscriptions, records, invoices, reasons


def site_dataset():
	customers, subscriptions, records, invoices, reasons = site_rows()
	register = register_profiles(records, AS_OF)
	first = pd.Series(dtype="datetime64[ns]")
	tables = {
		"customers": customers_table(customers, subscription_profiles(subscriptions), first, register),
		"invoices": invoices_table(invoices),
		"terminations": terminations_table(register),
		"reasons": reasons_table(reasons),
	}
	return tables, prepare(tables, AS_OF)


def test_register_keeps_the_churn_that_stands_and_the_last_return():
	_c, _s, records, _i, _r = site_rows()
	register = register_profiles(records, AS_OF)
	assert register.loc["E", "end_date"] == pd.Timestamp("2026-06-20")
	assert register.loc["E", "won_back_date"] == pd.Timestamp("2026-03-01")
	as_of_april = register_profiles(records, "2026-04-30")
	assert pd.isna(as_of_april.loc["E", "end_date"])  # won back in March, not yet gone again
	assert "C" not in as_of_april.index  # leaves only in May


def test_customers_terminations_and_invoices_tables():
	tables, _data = site_dataset()
	customers = tables["customers"].set_index("customer_id")
	assert customers.loc["D", "customer_type"] == "B2B"
	assert customers.loc["C", "monthly_fee"] == 2000
	assert customers.loc["F", "start_date"] == pd.Timestamp("2026-01-15")
	terminations = tables["terminations"].set_index("customer_id")
	assert sorted(terminations.index) == ["B", "C", "E"]  # D's non-payment is the core's to find
	assert terminations.loc["E", "date"] == pd.Timestamp("2026-06-20")
	invoices = tables["invoices"]
	assert invoices["paid_amount"].tolist() == [0, 0]
	assert invoices["paid_date"].isna().all()


def test_monthly_breakdown_by_kind_order_and_group():
	_tables, data = site_dataset()
	overview = churn_overview(data, AS_OF, period=PERIOD)
	groups = dict(zip(overview.reasons["reason"], overview.reasons["group"], strict=True))
	plan = pd.DataFrame({"month": ["2026-05-01"], "planned_churn": [1.5]})
	table = monthly_breakdown(overview.states, overview.monthly, overview.period, groups, plan)
	assert table["start_active"].tolist() == [5, 6, 6, 5, 5, 3, 2, 2, 2, 2]
	may = table.set_index(table["month"].dt.strftime("%Y-%m")).loc["2026-05"]
	assert (may["voluntary"], may["involuntary"], may["group:Life"], may["group:Unclassified"]) == (
		1,
		1,
		1,
		1,
	)
	assert (may["planned_churn"], may["against_plan"]) == (1.5, 0.5)
	assert table["secondary"].sum() == 1
	rates = period_rates(overview.monthly, overview.period)
	assert rates["rate"] == pytest.approx(4 / 38)
	assert rates["mrr_rate"] == pytest.approx(5000 / 38500)


def test_overview_gives_the_figures_of_the_whole_diagnosis():
	_tables, data = site_dataset()
	overview = churn_overview(data, AS_OF, period=PERIOD)
	full = diagnose(data, AS_OF, period=PERIOD)
	pd.testing.assert_frame_equal(overview.monthly, full.monthly)
	pd.testing.assert_frame_equal(overview.reasons, full.reasons)
	assert period_rates(overview.monthly, overview.period)["rate"] == full.period_rate


def test_reasons_against_target_in_customers_and_revenue():
	_tables, data = site_dataset()
	reasons = reasons_against_target(churn_overview(data, AS_OF, period=PERIOD).reasons).set_index("reason")
	assert reasons.loc["Too expensive", "deviation"] == pytest.approx(0.4)
	assert reasons.loc["Too expensive", "excess"] == 1.6
	assert reasons.loc["Too expensive", "excess_mrr"] == 1600
	assert reasons.loc["Moved away", "excess_mrr"] == 0


def test_lifetime_table_puts_the_model_beside_each_value():
	segments = pd.DataFrame(
		{"column": ["(all)", "tariff", "tariff"], "value": ["(all)", "A", "B"], "customers": [3, 2, 1]}
	)
	drivers = pd.DataFrame(
		{
			"column": ["tariff"],
			"value": ["B"],
			"baseline": ["A"],
			"hazard_ratio": [2.0],
			"p_value": [0.01],
			"significant": [True],
		}
	)
	table = lifetime_table(segments, drivers)
	assert table["hazard_ratio"].tolist()[2] == 2.0
	assert table["hazard_ratio"].isna().tolist()[:2] == [True, True]


def test_tariff_filter_bands_and_yearly_plans():
	tables, _data = site_dataset()
	assert only_tariff(tables["customers"], "Plan 2000")["customer_id"].tolist() == ["C"]
	assert count_bands(pd.Series([0, 1, 2, 5])).tolist() == ["0", "1", "2+", "2+"]
	yearly = pd.DataFrame(
		[
			("X", "Active", "2026-01-01", "Year plan", 1, 12000, "Year", 1),
			("X", "Cancelled", "2025-01-01", "Old", 1, 300, "Month", 1),
			("Y", "Active", "2026-02-01", "Internet", 2, 500, "Month", 1),
			("Y", "Active", "2026-03-01", "TV", 1, 300, "Month", 3),
			("Z", "Completed", "2024-01-01", "Old", 1, 300, "Month", 1),
			("Z", "Cancelled", "2025-01-01", "Internet", 1, 500, "Month", 1),
		],
		columns=SUBSCRIPTION_COLUMNS,
	)
	profile = subscription_profiles(yearly).loc["X"]
	assert (profile["monthly_fee"], profile["tariff"]) == (1000, "Year plan")
	assert profile["start_date"] == pd.Timestamp("2025-01-01")
	both = subscription_profiles(yearly).loc["Y"]  # two running subscriptions: both plans, fees added
	assert (both["monthly_fee"], both["tariff"]) == (1100, "Internet, TV")
	ended = subscription_profiles(yearly).loc["Z"]  # none running: the latest one started
	assert (ended["monthly_fee"], ended["tariff"], ended["start_date"]) == (
		500,
		"Internet",
		pd.Timestamp("2024-01-01"),
	)


def test_a_base_without_churn_gives_zeros_not_errors():
	customers = pd.DataFrame({"customer_id": ["A", "B"], "start_date": ["2025-01-01", "2025-06-01"]})
	data = prepare({"customers": customers}, AS_OF)
	overview = churn_overview(data, AS_OF, period=PERIOD)
	table = monthly_breakdown(overview.states, overview.monthly, overview.period, {})
	assert table["churned"].sum() == 0
	assert table[["voluntary", "involuntary", "primary", "secondary"]].to_numpy().sum() == 0
	assert not [c for c in table.columns if c.startswith("group:")]
	assert period_rates(overview.monthly, overview.period)["rate"] == 0
