import math

import pandas as pd
import pytest

from churn_management.analytics.debt.collection import (
	BROKEN,
	COLLECT,
	DEFAULT,
	KEPT,
	LEARNT,
	PENDING,
	STAGE_PRESETS,
	WRITE_OFF,
	Stage,
	StageError,
	aging_bucket,
	aging_table,
	attribute_to_stage,
	case_debts,
	fell_into_debt,
	missed_instalments,
	net_case_invoices,
	next_stage,
	plan_cases,
	plan_problems,
	probability_for_ages,
	promise_kept_rate,
	promise_status,
	recovery_curve,
	remaining_cost,
	score_cases,
	skipped_stages,
	stage_faults,
	stage_for_age,
	stage_problems,
	stages_for_ages,
	with_default_curve,
)

AS_OF = "2024-12-31"
STAGES = [
	Stage("Remind", 1, 5, ("Reminder",), staff_minutes=2),
	Stage("Call", 6, 15, ("Call",), staff_minutes=10),
	Stage("Decide", 16, None, ("Decision",), staff_minutes=15, fee=500),
]


def history():
	return pd.DataFrame(
		[
			# paid on day 10
			{"due_date": "2024-01-01", "amount": 100, "paid_date": "2024-01-11", "paid_amount": 100},
			# paid on day 60
			{"due_date": "2024-01-01", "amount": 200, "paid_date": "2024-03-01", "paid_amount": None},
			# never paid
			{"due_date": "2024-01-01", "amount": 300, "paid_date": None, "paid_amount": None},
			# 10 days old, unpaid so far
			{"due_date": "2024-12-21", "amount": 50, "paid_date": None, "paid_amount": None},
			# paid on its due date: never a debt
			{"due_date": "2024-01-01", "amount": 100, "paid_date": "2024-01-01", "paid_amount": 100},
		]
	)


# ------------------------------------------------------------------ stages


def test_clean_stages_have_no_problems_and_presets_are_clean():
	assert stage_problems(STAGES) == []
	for stages in STAGE_PRESETS.values():
		assert stage_problems(stages) == []
		assert [(s.from_day, s.to_day) for s in stages] == [(1, 5), (6, 15), (16, 30), (31, 90), (91, None)]


@pytest.mark.parametrize(
	"stages, expected",
	[
		([Stage("a", 1, 5), Stage("b", 5, None)], "overlap"),
		([Stage("a", 1, 5), Stage("b", 8, None)], "days 6-7"),
		([Stage("a", 2, 5), Stage("b", 6, None)], "must start at day 1"),
		([Stage("a", 1, None), Stage("b", 6, None)], "open-ended"),
		([Stage("a", 1, 5), Stage("b", 9, 6)], "ends (day 6) before it starts"),
		([], "no stages"),
	],
)
def test_stage_problems_name_the_fault(stages, expected):
	problems = stage_problems(stages)
	assert any(expected in p for p in problems), problems


def test_stage_faults_carry_the_names_and_days_apart_from_the_words():
	faults = stage_faults([Stage("Call", 1, 5), Stage("Block", 5, 8), Stage("Decide", 12, None)])
	assert [(f.kind, f.stages, f.days) for f in faults] == [
		("overlap", ("Call", "Block"), ()),
		("gap", ("Block", "Decide"), (9, 11)),
	]


def test_stage_for_age_and_vectorised_lookup_agree():
	ages = [0, 1, 5, 6, 15, 16, 1000]
	expected = [None, "Remind", "Remind", "Call", "Call", "Decide", "Decide"]
	assert [s.name if s else None for s in (stage_for_age(STAGES, a) for a in ages)] == expected
	assert stages_for_ages(STAGES, ages).tolist() == expected


def test_age_past_a_closed_last_stage_has_no_stage():
	closed = [Stage("a", 1, 5), Stage("b", 6, 10)]
	assert stages_for_ages(closed, [10, 11]).tolist() == ["b", None]


def test_broken_stages_refuse_lookup():
	with pytest.raises(StageError):
		stage_for_age([Stage("a", 1, 5), Stage("b", 4, None)], 3)


def test_remaining_cost_counts_current_and_later_stages():
	# minutes × 10 + fees: 2*10 + 10*10 + (15*10 + 500)
	assert remaining_cost(STAGES, 3, 10) == 770
	assert remaining_cost(STAGES, 10, 10) == 750
	assert remaining_cost(STAGES, 40, 10) == 650
	assert remaining_cost(STAGES, 0, 10) == 770


# ------------------------------------------------------------------ recovery curve


def test_recovery_curve_by_hand():
	curve = recovery_curve(history(), AS_OF, grid=(1, 31, 91)).set_index("age_from")
	# day 1: 100 + 200 + 300 + 50 outstanding, 100 + 200 paid later
	assert curve.loc[1, "outstanding"] == 650
	assert curve.loc[1, "recovered"] == 300
	assert curve.loc[1, "probability"] == pytest.approx(300 / 650)
	# day 31: the 50 is only 10 days old, the 100 paid on day 10: 200 of 500
	assert curve.loc[31, "invoices"] == 2
	assert curve.loc[31, "probability"] == pytest.approx(0.4)
	# day 91: only the 300 never paid
	assert curve.loc[91, "probability"] == 0


def test_follow_days_leave_out_debts_too_young_to_judge():
	curve = recovery_curve(history(), AS_OF, grid=(1,), follow_days=30).set_index("age_from")
	assert curve.loc[1, "outstanding"] == 600
	assert curve.loc[1, "probability"] == pytest.approx(0.5)


def test_partial_payment_leaves_the_rest_outstanding():
	invoices = pd.DataFrame(
		[{"due_date": "2024-01-01", "amount": 100, "paid_date": "2024-01-21", "paid_amount": 40}]
	)
	curve = recovery_curve(invoices, AS_OF, grid=(1, 31)).set_index("age_from")
	assert curve.loc[1, "probability"] == pytest.approx(0.4)
	assert curve.loc[31, "outstanding"] == 60
	assert curve.loc[31, "probability"] == 0


def test_payment_after_as_of_is_not_known_yet():
	invoices = pd.DataFrame(
		[{"due_date": "2024-01-01", "amount": 100, "paid_date": "2025-02-01", "paid_amount": 100}]
	)
	assert recovery_curve(invoices, AS_OF, grid=(1,))["probability"].iloc[0] == 0


def test_curve_never_rises_with_age_and_fills_gaps():
	invoices = pd.DataFrame(
		[
			# 1000 unpaid at day 1, never paid; 100 unpaid to day 40 then paid
			{"due_date": "2024-06-01", "amount": 1000, "paid_date": "2024-06-03", "paid_amount": 1000},
			{"due_date": "2024-01-01", "amount": 100, "paid_date": "2024-02-10", "paid_amount": 100},
			{"due_date": "2024-01-01", "amount": 100, "paid_date": None, "paid_amount": None},
		]
	)
	curve = recovery_curve(invoices, AS_OF, grid=(1, 31, 1000)).set_index("age_from")
	assert curve.loc[1, "raw_probability"] == pytest.approx(1100 / 1200)
	assert curve.loc[31, "raw_probability"] == pytest.approx(0.5)
	assert math.isnan(curve.loc[1000, "raw_probability"])
	assert curve.loc[1000, "probability"] == pytest.approx(0.5)


def test_probability_lookup_steps_and_default():
	curve = recovery_curve(history(), AS_OF, grid=(1, 31, 91))
	got = probability_for_ages(curve, [0, 1, 30, 31, 90, 500], default=0.7).tolist()
	assert got == pytest.approx([0.7, 300 / 650, 300 / 650, 0.4, 0.4, 0.0])
	empty = recovery_curve(history().iloc[0:0], AS_OF, grid=(1,))
	assert probability_for_ages(empty, [5], default=0.3).tolist() == [0.3]


def test_score_cases_by_hand():
	curve = recovery_curve(history(), AS_OF, grid=(1, 31, 91))
	cases = pd.DataFrame(
		{"case": ["big", "old", "mid"], "outstanding": [10000, 1000, 1000], "days_overdue": [3, 100, 40]}
	)
	scored = score_cases(cases, curve, STAGES, cost_per_minute=10).set_index("case")
	assert scored.loc["big", "expected_recovery"] == pytest.approx(10000 * 300 / 650)
	assert scored.loc["big", "remaining_cost"] == 770
	assert scored.loc["big", "net_recovery"] == pytest.approx(10000 * 300 / 650 - 770)
	assert scored.loc["big", "recommendation"] == COLLECT
	assert scored.loc["old", "net_recovery"] == -650
	assert scored.loc["old", "recommendation"] == WRITE_OFF
	assert scored.loc["mid", "net_recovery"] == pytest.approx(400 - 650)
	assert scored.loc["mid", "recommendation"] == WRITE_OFF


def test_thin_history_takes_the_default_curve_and_says_so():
	# one unpaid invoice followed at every age: learnt, the curve would say 0 % from day 1
	thin = recovery_curve(history().iloc[[2]], AS_OF, grid=(1, 31, 91))
	assert thin["probability"].tolist() == [0.0, 0.0, 0.0]
	default = [(1, 0.9), (31, 0.5), (91, 0.2)]
	curve = with_default_curve(thin, default, min_invoices=3)
	assert curve["probability"].tolist() == pytest.approx([0.9, 0.5, 0.2])
	assert curve["source"].tolist() == [DEFAULT] * 3
	cases = pd.DataFrame({"case": ["new", "old"], "outstanding": [1000, 1000], "days_overdue": [3, 100]})
	scored = score_cases(cases, curve, STAGES, cost_per_minute=1).set_index("case")
	assert scored.loc["new", "probability"] == pytest.approx(0.9)
	assert scored.loc["new", "recommendation"] == COLLECT
	assert scored.loc["new", "basis"] == DEFAULT
	assert scored.loc["new", "learnt_from"] == 1


def test_enough_history_is_learnt_and_the_default_fills_thin_ages_never_rising():
	curve = recovery_curve(history(), AS_OF, grid=(1, 31, 91))
	assert curve["invoices"].tolist() == [4, 2, 1]
	blended = with_default_curve(curve, [(1, 0.9), (91, 0.8)], min_invoices=2)
	assert blended["source"].tolist() == [LEARNT, LEARNT, DEFAULT]
	# day 91 takes the default 0.8, but a debt never gets likelier with age: 0.4 from day 31
	assert blended["probability"].tolist() == pytest.approx([300 / 650, 0.4, 0.4])
	cases = pd.DataFrame({"case": ["a"], "outstanding": [100], "days_overdue": [40]})
	scored = score_cases(cases, blended, STAGES, cost_per_minute=0)
	assert (scored.loc[0, "basis"], scored.loc[0, "learnt_from"]) == (LEARNT, 2)


def test_no_history_at_all_is_the_default_curve():
	empty = recovery_curve(history().iloc[0:0], AS_OF, grid=(1, 31))
	curve = with_default_curve(empty, [(1, 0.6), (31, 0.3)], min_invoices=10)
	got = score_cases(
		pd.DataFrame({"outstanding": [100, 100], "days_overdue": [5, 40]}), curve, STAGES, cost_per_minute=0
	)
	assert got["probability"].tolist() == pytest.approx([0.6, 0.3])
	assert got["basis"].tolist() == [DEFAULT, DEFAULT]
	assert got["learnt_from"].tolist() == [0, 0]


# ------------------------------------------------------------------ net debt of a case


def open_invoices(*rows):
	return pd.DataFrame(rows, columns=["customer", "company", "invoice", "due_date", "outstanding"])


def test_a_fully_credited_old_invoice_is_not_chased():
	# INV-1 (60 days overdue) was credited in full by a return that keeps its own outstanding:
	# the invoice still shows 1000 outstanding, the balance is only INV-2's 500
	invoices = open_invoices(
		("C", "Co", "INV-1", "2024-11-01", 1000.0), ("C", "Co", "INV-2", "2024-12-28", 500.0)
	)
	balances = pd.DataFrame({"customer": ["C"], "company": ["Co"], "outstanding": [500.0]})
	assert net_case_invoices(invoices, balances)["invoice"].tolist() == ["INV-2"]
	debts = case_debts(invoices, balances, AS_OF)
	assert debts["oldest_due"].tolist() == [pd.Timestamp("2024-12-28")]
	assert debts["outstanding"].tolist() == [500.0]


def test_credit_pays_the_oldest_invoice_first_and_partly():
	invoices = open_invoices(
		("C", "Co", "INV-2", "2024-12-01", 300.0),
		("C", "Co", "INV-1", "2024-11-01", 300.0),
		("D", "Co", "INV-3", "2024-12-01", 200.0),
	)
	balances = pd.DataFrame({"customer": ["C", "D"], "company": ["Co", "Co"], "outstanding": [400.0, 200.0]})
	remaining = net_case_invoices(invoices, balances)
	assert remaining[["invoice", "remaining"]].values.tolist() == [
		["INV-1", 100.0],
		["INV-2", 300.0],
		["INV-3", 200.0],
	]
	debts = case_debts(invoices, balances, AS_OF).set_index("customer")
	assert debts.loc["C", "oldest_due"] == pd.Timestamp("2024-11-01")


def test_only_young_debt_left_after_credit_is_no_overdue_case():
	invoices = open_invoices(
		("C", "Co", "INV-1", "2024-11-01", 100.0), ("C", "Co", "INV-2", "2025-01-10", 100.0)
	)
	balances = pd.DataFrame({"customer": ["C"], "company": ["Co"], "outstanding": [100.0]})
	assert case_debts(invoices, balances, AS_OF).empty


def test_debt_beyond_the_invoices_keeps_every_invoice():
	invoices = open_invoices(("C", "Co", "INV-1", "2024-11-01", 100.0))
	balances = pd.DataFrame({"customer": ["C"], "company": ["Co"], "outstanding": [150.0]})
	assert net_case_invoices(invoices, balances)["remaining"].tolist() == [100.0]
	assert case_debts(invoices, balances, AS_OF)["outstanding"].tolist() == [150.0]


# ------------------------------------------------------------------ aging, promises, plans


def test_aging_buckets_edges():
	got = aging_bucket([-5, 0, 30, 31, 60, 61, 90, 91, 400]).tolist()
	assert got == ["0-30", "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+"]


def test_aging_table_per_party_with_credits():
	entries = pd.DataFrame(
		{
			"party": ["a", "a", "a", "b"],
			"days_overdue": [10, 45, 0, 120],
			"outstanding": [100.0, 50.0, -30.0, 70.0],
		}
	)
	table = aging_table(entries)
	assert table.loc["a"].to_dict() == {"0-30": 70.0, "31-60": 50.0, "61-90": 0.0, "90+": 0.0, "total": 120.0}
	assert table.loc["b", "90+"] == 70.0


def test_promise_status():
	assert promise_status(100, 100, "2024-12-20", AS_OF) == KEPT
	assert promise_status(100, 60, "2024-12-20", AS_OF) == BROKEN
	assert promise_status(100, 60, "2024-12-31", AS_OF) == PENDING
	assert promise_status(100, 0, "2025-01-10", AS_OF) == PENDING


def test_promise_kept_rate_ignores_pending():
	assert promise_kept_rate([KEPT, BROKEN, KEPT, PENDING]) == pytest.approx(2 / 3)
	assert math.isnan(promise_kept_rate([PENDING]))


def test_missed_instalments_count_cumulatively():
	plan = pd.DataFrame({"due_date": ["2024-01-10", "2024-02-10", "2024-03-10"], "amount": [100, 100, 100]})
	assert missed_instalments(plan, 100, "2024-02-15").tolist() == [False, True, False]
	assert missed_instalments(plan, 250, "2024-02-15").tolist() == [False, False, False]
	assert missed_instalments(plan, 0, "2024-01-10").tolist() == [False, False, False]


def test_plan_problems():
	plan = pd.DataFrame({"due_date": ["2024-01-10", "2024-02-10"], "amount": [100, 100]})
	assert plan_problems(plan, 200, "2024-01-01") == []
	assert any("not to the debt" in p for p in plan_problems(plan, 250, "2024-01-01"))
	assert any("before the plan starts" in p for p in plan_problems(plan, 200, "2024-01-15"))
	assert plan_problems(plan.iloc[0:0], 200, "2024-01-01") == ["the plan has no instalments"]


# ------------------------------------------------------------------ the daily plan


def test_plan_cases_opens_moves_and_closes():
	as_of = pd.Timestamp(AS_OF)
	debts = pd.DataFrame(
		[
			{
				"customer": "new",
				"company": "C",
				"oldest_due": as_of - pd.Timedelta(days=3),
				"outstanding": 100,
			},
			{
				"customer": "aging",
				"company": "C",
				"oldest_due": as_of - pd.Timedelta(days=10),
				"outstanding": 50,
			},
			{
				"customer": "same",
				"company": "C",
				"oldest_due": as_of - pd.Timedelta(days=2),
				"outstanding": 70,
			},
			{"customer": "notdue", "company": "C", "oldest_due": None, "outstanding": 100},
			{
				"customer": "advance",
				"company": "C",
				"oldest_due": as_of - pd.Timedelta(days=9),
				"outstanding": -5,
			},
			{"customer": "new", "company": "D", "oldest_due": as_of, "outstanding": 100},
		]
	)
	cases = pd.DataFrame(
		[
			{"case": "K1", "customer": "aging", "company": "C", "stage": "Remind"},
			{"case": "K2", "customer": "same", "company": "C", "stage": "Remind"},
			{"case": "K3", "customer": "notdue", "company": "C", "stage": "Call"},
			{"case": "K4", "customer": "advance", "company": "C", "stage": "Call"},
			{"case": "K5", "customer": "paid", "company": "C", "stage": "Decide"},
		]
	)
	plan = plan_cases(debts, cases, STAGES, AS_OF)
	assert plan.open[["customer", "company", "target_stage", "days_overdue"]].values.tolist() == [
		["new", "C", "Remind", 3]
	]
	assert plan.move[["case", "target_stage"]].values.tolist() == [["K1", "Call"]]
	assert sorted(plan.close["case"]) == ["K3", "K4", "K5"]
	assert sorted(plan.refresh["case"]) == ["K1", "K2"]


def test_plan_cases_is_idempotent_once_applied():
	as_of = pd.Timestamp(AS_OF)
	debts = pd.DataFrame(
		[{"customer": "a", "company": "C", "oldest_due": as_of - pd.Timedelta(days=20), "outstanding": 10}]
	)
	cases = pd.DataFrame([{"case": "K", "customer": "a", "company": "C", "stage": "Decide"}])
	plan = plan_cases(debts, cases, STAGES, AS_OF)
	assert plan.open.empty and plan.move.empty and plan.close.empty


def test_an_escalated_case_never_moves_back():
	as_of = pd.Timestamp(AS_OF)
	debts = pd.DataFrame(
		[
			{"customer": "a", "company": "C", "oldest_due": as_of - pd.Timedelta(days=3), "outstanding": 10},
			{"customer": "b", "company": "C", "oldest_due": as_of - pd.Timedelta(days=3), "outstanding": 10},
		]
	)
	cases = pd.DataFrame(
		[
			{"case": "K", "customer": "a", "company": "C", "stage": "Call"},
			{"case": "L", "customer": "b", "company": "C", "stage": None},
		]
	)
	plan = plan_cases(debts, cases, STAGES, AS_OF)
	assert plan.move["case"].tolist() == ["L"]


def test_skipped_stages_between_two_runs():
	names = lambda stages: [s.name for s in stages]  # noqa: E731
	assert names(skipped_stages(STAGES, None, "Decide")) == ["Remind", "Call"]
	assert names(skipped_stages(STAGES, "Remind", "Decide")) == ["Call"]
	assert names(skipped_stages(STAGES, "Remind", "Call")) == []
	assert names(skipped_stages(STAGES, None, "Remind")) == []
	assert skipped_stages(STAGES, "Call", None) == []


def test_next_stage():
	assert next_stage(STAGES, None).name == "Remind"
	assert next_stage(STAGES, "Remind").name == "Call"
	assert next_stage(STAGES, "Decide") is None


def test_payments_are_attributed_to_the_stage_they_came_in():
	payments = pd.DataFrame(
		{
			"case": ["K", "K", "K", "L"],
			"date": ["2024-01-03", "2024-01-10", "2024-01-20", "2024-01-05"],
			"amount": [10.0, 20.0, 30.0, 5.0],
		}
	)
	log = pd.DataFrame(
		{
			"case": ["K", "K", "K", "L"],
			"on": ["2024-01-02 09:00", "2024-01-10 23:00", "2024-01-15 08:00", "2024-01-06 08:00"],
			"stage": ["Remind", "Call", "Decide", "Remind"],
		}
	)
	got = attribute_to_stage(payments, log)
	# a stage entered late on a day counts for that whole day
	assert got["stage"].tolist() == ["Remind", "Call", "Decide", None]
	assert got["amount"].tolist() == [10.0, 20.0, 30.0, 5.0]


def test_fell_into_debt_within_three_months():
	customers = pd.DataFrame(
		{
			"customer": ["good", "late", "unpaid", "later", "young"],
			"start": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-11-01"],
		}
	)
	invoices = pd.DataFrame(
		[
			{
				"customer": "good",
				"due_date": "2024-01-10",
				"amount": 100,
				"paid_date": "2024-01-12",
				"paid_amount": 100,
			},
			{
				"customer": "late",
				"due_date": "2024-02-10",
				"amount": 100,
				"paid_date": "2024-03-01",
				"paid_amount": 100,
			},
			{
				"customer": "unpaid",
				"due_date": "2024-03-10",
				"amount": 100,
				"paid_date": None,
				"paid_amount": None,
			},
			# a debt after the first three months does not count
			{
				"customer": "later",
				"due_date": "2024-05-10",
				"amount": 100,
				"paid_date": None,
				"paid_amount": None,
			},
			{
				"customer": "young",
				"due_date": "2024-11-10",
				"amount": 100,
				"paid_date": None,
				"paid_amount": None,
			},
		]
	)
	got = fell_into_debt(customers, invoices, AS_OF, months=3, grace_days=5).set_index("customer")
	assert got["in_debt"].to_dict() == {
		"good": False,
		"late": True,
		"unpaid": True,
		"later": False,
		"young": True,
	}
	assert got["observed"].to_dict() == {
		"good": True,
		"late": True,
		"unpaid": True,
		"later": True,
		"young": False,
	}
