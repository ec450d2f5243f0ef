"""Staff motivation by hand: tiers, the three ways to pay, lines traced to documents, take-backs."""

from datetime import date

import pandas as pd
import pytest

from churn_management.analytics.management.motivation import (
	PER_UNIT,
	PERCENT,
	STEP,
	check_tiers,
	component_pay,
	conversion_percent_of_plan,
	month_bounds,
	period_closed,
	periods_overlap,
	previous_month,
	staff_table,
	statement_lines,
	take_backs,
)


def tiers(*rows):
	return pd.DataFrame(rows, columns=["kpi", "rate_type", "threshold_from", "threshold_to", "rate"])


RETURNED = tiers(
	("Customers returned", PER_UNIT, 0, 10, 0),
	("Customers returned", PER_UNIT, 10, 20, 500),
	("Customers returned", PER_UNIT, 20, 0, 800),
)
DEBT = tiers(("Debt collected", PERCENT, 0, 100000, 2), ("Debt collected", PERCENT, 100000, None, 3))
CONVERSION = tiers(
	("Conversion against plan", STEP, 80, 100, 3000),
	("Conversion against plan", STEP, 100, 120, 6000),
	("Conversion against plan", STEP, 120, 0, 9000),
)


def test_per_unit_pays_each_band_at_its_rate():
	# 25 returned: 10 at 0, 10 at 500, 5 at 800 = 9,000
	assert component_pay(PER_UNIT, RETURNED, 25, 0) == 9000
	assert component_pay(PER_UNIT, RETURNED, 10, 0) == 0
	assert component_pay(PER_UNIT, RETURNED, 12, 0) == 1000


def test_percent_of_amount_is_progressive_over_the_amount():
	# 150,000 collected: 2 % of 100,000 + 3 % of 50,000 = 2,000 + 1,500
	assert component_pay(PERCENT, DEBT, 4, 150000) == 3500
	assert component_pay(PERCENT, DEBT, 1, 50000) == 1000


def test_step_bonus_pays_the_band_the_quantity_falls_in():
	assert component_pay(STEP, CONVERSION, 79.9, 0) == 0
	assert component_pay(STEP, CONVERSION, 100, 0) == 6000
	assert component_pay(STEP, CONVERSION, 150, 0) == 9000


def test_overlapping_bands_and_bad_rates_are_found():
	bad = tiers(
		("Customers returned", PER_UNIT, 0, 10, 100),
		("Customers returned", PER_UNIT, 5, 20, 200),
		("Debt collected", PERCENT, 0, 0, 120),
		("Bonus cards issued", PER_UNIT, 0, 0, -5),
		("Saves that stuck", PER_UNIT, 10, 5, 100),
	)
	kinds = {(p.kind, p.row, p.other_row) for p in check_tiers(bad)}
	assert kinds == {("overlap", 1, 0), ("percent", 2, None), ("negative", 3, None), ("order", 4, None)}


def test_an_open_band_before_another_overlaps_it():
	bad = tiers(("Customers returned", PER_UNIT, 0, 0, 100), ("Customers returned", PER_UNIT, 10, 0, 200))
	assert [(p.kind, p.row) for p in check_tiers(bad)] == [("overlap", 1)]


def test_adjacent_bands_and_other_components_do_not_overlap():
	assert check_tiers(pd.concat([RETURNED, DEBT, CONVERSION])) == []


def test_lines_trace_each_document_with_its_share():
	facts = pd.DataFrame(
		[
			*[("Customers returned", "Churn Record", f"CR-{i}", 1, 0) for i in range(12)],
			("Debt collected", "Payment Entry", "PE-1", 1, 30000),
			("Debt collected", "Payment Entry", "PE-2", 1, 10000),
			("Bonus cards issued", "Bonus Card", "BC-1", 1, 0),
		],
		columns=["kpi", "reference_doctype", "reference_name", "quantity", "amount"],
	)
	lines, sources = statement_lines(pd.concat([RETURNED, DEBT]), facts)
	assert lines[["kpi", "quantity", "base_amount", "amount"]].values.tolist() == [
		["Customers returned", 12.0, 0.0, 1000.0],
		["Debt collected", 2.0, 40000.0, 800.0],
	]
	# no component for bonus cards: nothing paid, nothing listed
	assert "Bonus cards issued" not in sources["kpi"].tolist()
	returned = sources[sources["kpi"] == "Customers returned"]
	assert len(returned) == 12 and returned["amount"].sum() == pytest.approx(1000)
	assert returned["amount"].iloc[0] == pytest.approx(83.33)
	assert returned["amount"].iloc[-1] == pytest.approx(83.37)
	debt = sources[sources["kpi"] == "Debt collected"].set_index("reference_name")["amount"]
	assert debt.to_dict() == {"PE-1": 600.0, "PE-2": 200.0}


def test_a_lost_save_takes_back_what_each_earlier_statement_paid():
	lost = pd.DataFrame(
		[
			("SAVE-1", "Retention Save", "SAVE-1"),
			("SAVE-1", "Retention Task", "RT-1"),
			("SAVE-1", "Churn Record", "CR-1"),
			("SAVE-2", "Churn Record", "CR-2"),
		],
		columns=["save", "reference_doctype", "reference_name"],
	)
	paid = pd.DataFrame(
		[
			("MS-1", "Customers returned", "Churn Record", "CR-1", 500.0),
			("MS-1", "Customers returned", "Churn Record", "CR-2", 500.0),
			("MS-1", "Customers returned", "Churn Record", "CR-3", 500.0),
			("MS-2", "Members reactivated", "Retention Task", "RT-1", 300.0),
			("MS-2", "Customers returned", "Churn Record", "CR-9", 0.0),
			("MS-1", "Conversion against plan", "Retention Task", "RT-1", 1000.0),
		],
		columns=["statement", "kpi", "reference_doctype", "reference_name", "amount"],
	)
	lines, sources = take_backs(lost, paid)
	assert lines[["takes_back", "kpi", "quantity", "amount"]].values.tolist() == [
		["MS-1", "Customers returned", -2.0, -1000.0],
		["MS-2", "Members reactivated", -1.0, -300.0],
	]
	assert sorted(sources["reference_name"]) == ["CR-1", "CR-2", "RT-1"]
	assert (sources["amount"] < 0).all()


def test_nothing_to_take_back_gives_empty_frames():
	lines, sources = take_backs(pd.DataFrame(), pd.DataFrame())
	assert lines.empty and sources.empty


def test_months_and_periods():
	assert month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
	assert previous_month(date(2025, 1, 15)) == date(2024, 12, 1)
	assert not period_closed(date(2025, 1, 31), date(2025, 1, 31))
	assert period_closed(date(2025, 1, 31), date(2025, 2, 1))
	assert periods_overlap(date(2025, 1, 1), None, date(2030, 1, 1), None)
	assert not periods_overlap(date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1), None)
	assert periods_overlap(date(2025, 1, 1), date(2025, 7, 1), date(2025, 7, 1), date(2025, 12, 31))


def test_conversion_is_read_against_the_plan():
	# 6 returned of 40 worked = 15 %, plan 12 % -> 125 % of plan
	assert conversion_percent_of_plan(6, 40, 12) == 125
	assert conversion_percent_of_plan(6, 0, 12) is None
	assert conversion_percent_of_plan(6, 40, 0) is None


def test_staff_table_adds_fixed_variable_and_take_backs():
	statements = pd.DataFrame(
		[("MS-2", "a@x", date(2025, 2, 1), "S", 30000, 1), ("MS-1", "a@x", date(2025, 1, 1), "S", 30000, 1)],
		columns=["statement", "employee_user", "period_start", "scheme", "fixed_amount", "docstatus"],
	)
	lines = pd.DataFrame(
		[
			("MS-1", "Customers returned", 12, 1000, None),
			("MS-2", "Customers returned", 3, 0, None),
			("MS-2", "Debt collected", 2, 800, None),
			("MS-2", "Customers returned", -1, -500, "MS-1"),
		],
		columns=["statement", "kpi", "quantity", "amount", "takes_back"],
	)
	table = staff_table(statements, lines).set_index("statement")
	assert table.loc["MS-1", "total_amount"] == 31000
	assert table.loc["MS-2", "variable_amount"] == 300
	assert table.loc["MS-2", "qty:Customers returned"] == 3
	assert table.loc["MS-2", "taken_back"] == -500
	assert table.index.tolist() == ["MS-1", "MS-2"]
