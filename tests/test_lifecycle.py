"""The member lifecycle core on hand-computed cases: stages, transitions, at-risk dates, statistics, goals."""

import math

import pandas as pd
import pytest

from churn_management.analytics.lifecycle.reports import replay_moves
from churn_management.analytics.lifecycle.segmentation import (
	OTHER,
	PRESET_RULES,
	GoalInputs,
	RuleError,
	StageRule,
	at_risk_dates,
	department_service_shares,
	goal_values,
	goals_against_targets,
	learn_at_risk_days,
	member_history,
	path_passage,
	rule_problems,
	segment_members,
	stage_counts,
	stage_flows,
	time_in_stage,
	transitions,
)

AS_OF = pd.Timestamp("2026-06-30")


def card(member, start, end, renews=None, **extra):
	return {
		"membership": f"M-{member}",
		"member": member,
		"club": extra.pop("club", "Center"),
		"start_date": pd.Timestamp(start),
		"end_date": pd.Timestamp(end),
		"renews": renews,
		**extra,
	}


def came(member, *days):
	return [{"member": member, "checkin": pd.Timestamp(f"{day} 18:30")} for day in days]


@pytest.fixture
def club():
	memberships = pd.DataFrame(
		[
			card("A", "2026-06-27", "2027-06-26"),
			card("B", "2026-05-01", "2027-04-30", renews="M-B0"),
			card("C", "2025-07-15", "2026-07-14"),
			card("D", "2025-07-20", "2026-07-20"),
			card("E", "2025-08-01", "2026-07-25"),
			card("F", "2025-01-01", "2026-05-31"),
			card("G", "2024-01-01", "2025-12-31"),
			card("H", "2026-06-01", "2027-05-31", renews="M-H0"),
			card("I", "2026-05-20", "2027-05-19"),
			card("J", "2026-01-10", "2026-12-31"),
			card("K", "2026-01-01", "2026-12-31", cancelled_on=pd.Timestamp("2026-06-15")),
			card("L", "2025-07-01", "2026-06-20", frozen_days=30),
			card("M", "2026-03-01", "2027-02-28"),
		]
	)
	visits = pd.DataFrame(
		came(
			"B",
			"2026-05-28",
			"2026-06-05",
			"2026-06-10",
			"2026-06-15",
			"2026-06-20",
			"2026-06-25",
			"2026-06-29",
		)
		+ came("C", "2026-06-01")
		+ came("D", "2026-05-20", "2026-06-01", "2026-06-20", "2026-06-28")
		+ came("E", "2026-05-25", "2026-06-05", "2026-06-15", "2026-06-26")
		+ came("I", "2026-06-25")
		+ came("J", "2026-05-20", "2026-06-01", "2026-06-12", "2026-06-24")
		+ came("L", "2026-05-30", "2026-06-10", "2026-06-20", "2026-06-28")
		+ came("M", "2026-06-10", "2026-07-05")
	)
	starter = pd.DataFrame(
		[
			{"member": "A", "completed": False},
			{"member": "C", "completed": True},
			{"member": "I", "completed": False},
			{"member": "I", "completed": False},
		]
	)
	return memberships, visits, starter


def test_each_member_gets_the_first_matching_stage(club):
	result = segment_members(*club, AS_OF).set_index("member")["stage"].to_dict()
	assert result == {
		"A": "Newcomer",
		"B": "Engaged",
		"C": "Inactive",  # inactive wins over the renewal window: it comes first in order
		"D": "Reactivated",  # came back on 20 June after 19 days away
		"E": "Renewal window",
		"F": "Lapsed",
		"H": "Recently renewed",
		"I": "Starter package in progress",
		"J": OTHER,  # two visits in 28 days: no rule takes the member
		"K": "Lapsed",  # cancelled on 15 June
		"L": "Renewal window",  # 30 frozen days move the end to 20 July
		"M": "Inactive",  # the visit of 5 July is in the future and does not count
	}


def test_member_facts_are_counted_by_hand(club):
	facts = segment_members(*club, AS_OF).set_index("member")
	assert facts.loc["B", "visits_28"] == 6
	assert facts.loc["B", "returned_30"] == 8
	assert facts.loc["D", "returned_30"] == 19
	assert facts.loc["C", "days_since_last_visit"] == 29
	assert facts.loc["A", "days_since_last_visit"] == 3  # no visit yet: counted from the start
	assert facts.loc["L", "days_to_end"] == 20
	assert facts.loc["K", "days_to_end"] == -15
	assert "G" not in facts.index  # ended 181 days ago, past the 90-day horizon


def test_changing_the_order_changes_the_winner(club):
	rules = [
		r
		if r.stage != "Renewal window"
		else StageRule("Renewal window", 45, days_to_end_min=0, days_to_end_max=30)
		for r in PRESET_RULES
	]
	stages = segment_members(*club, AS_OF, rules=rules).set_index("member")["stage"]
	assert stages["C"] == "Renewal window"


def test_counts_and_shares(club):
	segmented = segment_members(*club, AS_OF)
	counts = stage_counts(segmented, stages=[r.stage for r in PRESET_RULES]).set_index("stage")
	assert counts.loc["Inactive", "members"] == 2
	assert counts.loc["Inactive", "share"] == pytest.approx(2 / 12)
	assert counts.index[-1] == OTHER
	assert counts["share"].sum() == pytest.approx(1)


def test_rules_that_cannot_decide_are_named():
	problems = rule_problems(
		[
			StageRule("Everyone", 1),
			StageRule("Busy", 2, visits_min=3),
			StageRule("New", 2, days_since_start_min=10, days_since_start_max=5),
		]
	)
	assert any("share the order 2" in p for p in problems)
	assert any("'New': days_since_start_min 10 is above" in p for p in problems)
	assert any("'Busy': visits are counted over no window" in p for p in problems)
	assert any("'Everyone' matches every member" in p for p in problems)
	assert rule_problems(PRESET_RULES) == []


def test_segmenting_with_bad_rules_refuses(club):
	with pytest.raises(RuleError, match="share the order"):
		segment_members(
			*club,
			AS_OF,
			rules=[StageRule("X", 1, visits_max=0, visit_window_days=7), StageRule("Y", 1, renewed=True)],
		)


def test_transitions_only_on_change():
	previous = pd.DataFrame({"member": ["B", "C"], "stage": ["Engaged", "Engaged"]})
	current = pd.DataFrame({"member": ["B", "C", "A"], "stage": ["Engaged", "Inactive", "Newcomer"]})
	moves = transitions(previous, current, AS_OF)
	assert moves.to_dict("records") == [
		{"member": "C", "from_stage": "Engaged", "to_stage": "Inactive", "date": AS_OF},
		{"member": "A", "from_stage": None, "to_stage": "Newcomer", "date": AS_OF},
	]
	assert transitions(current, current, AS_OF).empty


def test_at_risk_date_is_pushed_by_each_visit(club):
	facts = segment_members(*club, AS_OF).set_index("member", drop=False)
	risk = at_risk_dates(facts, AS_OF).set_index("member")
	assert risk.loc["C", "at_risk_date"] == pd.Timestamp("2026-06-15")
	assert bool(risk.loc["C", "at_risk"]) is True
	assert risk.loc["B", "at_risk_date"] == pd.Timestamp("2026-07-13")
	assert bool(risk.loc["B", "at_risk"]) is False
	assert risk.loc["A", "at_risk_date"] == pd.Timestamp("2026-07-11")  # no visit: from the start
	assert bool(risk.loc["F", "at_risk"]) is False  # the card has ended: lapsed, not at risk
	learned = at_risk_dates(facts, AS_OF, pd.Series({"C": 30})).set_index("member")
	assert learned.loc["C", "at_risk_date"] == pd.Timestamp("2026-07-01")
	assert bool(learned.loc["C", "at_risk"]) is False


def _history(leavers: int, stayers: int):
	cards, visits = [], []
	for i in range(leavers):
		cards.append(card(f"L{i}", "2025-01-01", "2025-12-31"))
		visits += came(
			f"L{i}", *[(pd.Timestamp("2025-01-01") + pd.Timedelta(days=5 * k)).date() for k in range(60)]
		)
	for i in range(stayers):
		cards.append(card(f"S{i}", "2025-01-01", "2026-12-31"))
		days = [pd.Timestamp("2025-01-01") + pd.Timedelta(days=5 * k) for k in range(10)]
		days += [days[-1] + pd.Timedelta(days=20 + 5 * k) for k in range(10)]
		visits += came(f"S{i}", *[d.date() for d in days])
	return pd.DataFrame(cards), pd.DataFrame(visits)


def test_learned_at_risk_days_from_history():
	memberships, visits = _history(40, 40)
	# absences of 7-20 days: 40 final (left after 69 days away) and 40 that ended in a return
	assert learn_at_risk_days(memberships, visits, AS_OF, churn_odds=0.5) == 7
	assert learn_at_risk_days(memberships, visits, AS_OF, churn_odds=0.6) == 21
	few = _history(10, 40)
	assert learn_at_risk_days(*few, AS_OF) == 14  # too few leavers to learn from


@pytest.fixture
def moves():
	rows = [
		("m1", None, "Newcomer", "2026-01-05"),
		("m1", "Newcomer", "Starter", "2026-01-12"),
		("m1", "Starter", "Engaged", "2026-02-20"),
		("m2", None, "Newcomer", "2026-01-07"),
		("m2", "Newcomer", "Inactive", "2026-01-20"),
		("m2", "Inactive", "Reactivated", "2026-02-10"),
	]
	return pd.DataFrame(
		[{"member": m, "from_stage": f, "to_stage": t, "date": pd.Timestamp(d)} for m, f, t, d in rows]
	)


def test_monthly_and_weekly_flows(moves):
	monthly = stage_flows(moves, "Monthly").set_index(["period", "stage"])
	jan, feb = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")
	assert monthly.loc[(jan, "Newcomer")].tolist() == [2, 2, 0]
	assert monthly.loc[(jan, "Inactive")].tolist() == [1, 0, 1]
	assert monthly.loc[(feb, "Inactive")].tolist() == [0, 1, -1]
	assert monthly.loc[(feb, "Engaged"), "entries"] == 1
	weekly = stage_flows(moves, "Weekly").set_index(["period", "stage"])
	assert weekly.loc[(pd.Timestamp("2026-01-05"), "Newcomer"), "entries"] == 2
	assert weekly.loc[(pd.Timestamp("2026-01-12"), "Newcomer"), "exits"] == 1
	quarterly = stage_flows(moves, "Quarterly")
	assert set(quarterly["period"]) == {jan}
	assert quarterly["entries"].sum() == 6


def test_passage_along_the_standard_path(moves):
	passage = path_passage(moves, ["Newcomer", "Starter", "Engaged", "Renewal window"], "Monthly")
	assert passage[["moves", "on_path"]].values.tolist() == [[2, 1], [2, 1]]
	assert passage["share"].tolist() == [0.5, 0.5]


def test_time_in_stage(moves):
	table = time_in_stage(moves, pd.Timestamp("2026-03-01")).set_index("stage")
	assert table.loc["Newcomer", "stays"] == 2
	assert table.loc["Newcomer", "mean_days"] == 10  # 7 and 13 days
	assert table.loc["Starter", "mean_days"] == 39
	assert table.loc["Inactive", "median_days"] == 21
	assert table.loc["Engaged", "stays"] == 0
	assert table.loc["Engaged", "in_stage_now"] == 1
	assert math.isnan(table.loc["Engaged", "mean_days"])


@pytest.fixture
def goal_inputs():
	memberships = pd.DataFrame(
		[
			card("c1", "2025-06-16", "2026-06-15"),
			{**card("c1", "2026-06-16", "2027-06-15", renews="M-c1"), "membership": "M-c1b"},
			card("c3", "2025-06-20", "2026-06-20"),
			card("c4", "2026-01-01", "2026-12-31", cancelled_on=pd.Timestamp("2026-06-10")),
		]
	)
	packages = pd.DataFrame(
		[
			{"member": "s1", "start_date": pd.Timestamp("2026-06-02"), "completed": True, "pt_sale": True},
			{"member": "s2", "start_date": pd.Timestamp("2026-06-10"), "completed": False, "pt_sale": False},
			{"member": "s3", "start_date": pd.Timestamp("2026-06-20"), "completed": False, "pt_sale": False},
		]
	)
	services = pd.DataFrame(
		[
			{"member": "s1", "department": "Gym", "due_date": pd.Timestamp("2026-06-05"), "delivered": True},
			{"member": "s1", "department": "Pool", "due_date": pd.Timestamp("2026-06-09"), "delivered": True},
			{"member": "s2", "department": "Gym", "due_date": pd.Timestamp("2026-06-12"), "delivered": True},
			{
				"member": "s2",
				"department": "Pool",
				"due_date": pd.Timestamp("2026-06-20"),
				"delivered": False,
			},
			{"member": "s3", "department": "Gym", "due_date": pd.Timestamp("2026-07-01"), "delivered": False},
		]
	)
	moved = pd.DataFrame(
		[
			{"member": m, "from_stage": f, "to_stage": t, "date": pd.Timestamp(d)}
			for m, f, t, d in [
				("x3", None, "Inactive", "2026-05-05"),
				("x3", "Inactive", "Reactivated", "2026-05-25"),
				("x1", "Engaged", "Inactive", "2026-06-03"),
				("x2", "Engaged", "Inactive", "2026-06-10"),
				("x1", "Inactive", "Reactivated", "2026-06-20"),
			]
		]
	)
	return GoalInputs(memberships, packages, services, moved)


def test_goal_values_by_hand(goal_inputs):
	values = goal_values(goal_inputs, "Monthly")
	june = values[values["period"] == pd.Timestamp("2026-06-01")].set_index("goal")
	assert june.loc["renewal_share", ["numerator", "denominator"]].tolist() == [1, 3]
	assert june.loc["starter_completion_share", "value"] == pytest.approx(1 / 3)
	assert june.loc["starter_services_delivered_share", "value"] == pytest.approx(3 / 4)
	assert june.loc["starter_to_pt_conversion", ["numerator", "denominator"]].tolist() == [1, 2]
	assert june.loc["reactivated_share", "value"] == pytest.approx(1 / 2)
	july = values[values["period"] == pd.Timestamp("2026-07-01")].set_index("goal")
	assert july.loc["starter_services_delivered_share", "value"] == 0


def test_department_shares(goal_inputs):
	shares = department_service_shares(goal_inputs.services, "Monthly").set_index(["period", "department"])
	june = pd.Timestamp("2026-06-01")
	assert shares.loc[(june, "Gym"), ["delivered", "due"]].tolist() == [2, 2]
	assert shares.loc[(june, "Pool"), "share"] == 0.5


def test_goals_against_targets_with_reference_and_trend(goal_inputs):
	values = goal_values(goal_inputs, "Monthly")
	targets = pd.DataFrame(
		[
			{"goal": "renewal_share", "target": 0.5, "period": None},
			{"goal": "reactivated_share", "target": 0.3, "period": None},
			{"goal": "reactivated_share", "target": 0.6, "period": "2026-06-01"},
		]
	)
	table = goals_against_targets(values, targets)
	june = table[table["period"] == pd.Timestamp("2026-06-01")].set_index("goal")
	assert june.loc["renewal_share", "gap"] == pytest.approx(1 / 3 - 0.5)
	assert bool(june.loc["renewal_share", "reached"]) is False
	assert june.loc["reactivated_share", "target"] == 0.6  # the period's own target wins
	assert june.loc["reactivated_share", "reference"] == 1.0  # May: 1 of 1
	assert june.loc["reactivated_share", "trend"] == pytest.approx(-0.5)
	may = table[table["period"] == pd.Timestamp("2026-05-01")].set_index("goal")
	assert may.loc["reactivated_share", "target"] == 0.3
	assert bool(may.loc["reactivated_share", "reached"]) is True


def test_a_member_of_two_clubs_is_judged_in_each_on_its_visits():
	cards = pd.DataFrame(
		[
			card("A", "2025-01-01", "2026-12-31", membership="M-A-north", club="North"),
			card("A", "2025-01-01", "2026-12-31", membership="M-A-south", club="South"),
		]
	)
	visits = pd.DataFrame(
		[
			{**v, "club": "North"}
			for v in came("A", *pd.date_range("2025-01-03", "2026-06-26", freq="7D").date)
		]
	)
	facts = segment_members(cards, visits, None, AS_OF).set_index("membership")
	assert facts.loc["M-A-north", "stage"] == "Engaged"
	assert facts.loc["M-A-south", "stage"] == "Inactive"
	assert pd.isna(facts.loc["M-A-south", "last_visit"])


def test_a_card_of_no_club_counts_one_visit_a_day_in_any_club():
	cards = pd.DataFrame([card("N", "2026-01-01", "2026-12-31", club=None)])
	visits = pd.DataFrame(
		[
			{"member": "N", "club": "North", "checkin": pd.Timestamp("2026-06-20 10:00")},
			{"member": "N", "club": "South", "checkin": pd.Timestamp("2026-06-20 18:00")},
			{"member": "N", "club": "North", "checkin": pd.Timestamp("2026-06-25 09:00")},
		]
	)
	facts = segment_members(cards, visits, None, AS_OF).set_index("member")
	assert facts.loc["N", "visits_28"] == 2
	assert facts.loc["N", "returned_30"] == 170  # from the start of the card to the first visit
	assert facts.loc["N", "last_visit"] == pd.Timestamp("2026-06-25 09:00")


def test_the_replay_judges_each_week_as_that_date_alone():
	cards = pd.DataFrame(
		[
			card("W", "2025-06-01", "2026-05-31", membership="M-W0"),
			card("W", "2026-06-01", "2027-05-31", membership="M-W1", renews="M-W0"),
			card("X", "2026-05-20", "2026-06-10", club="North"),
			card("X", "2026-06-05", "2026-12-31", membership="M-X-south", club="South"),
		]
	)
	visits = pd.DataFrame(
		came("W", "2026-04-01", "2026-05-02", "2026-05-09", "2026-06-02", "2026-06-20")
		+ [{**v, "club": "South"} for v in came("X", "2026-06-06", "2026-06-13", "2026-06-27")]
	)
	dates = [AS_OF - pd.Timedelta(weeks=k) for k in range(8, -1, -1)]
	moves = replay_moves(member_history(cards, visits, None), PRESET_RULES, dates)
	expected = []
	previous = None
	for date in dates:
		current = segment_members(cards, visits, None, date)[["member", "club", "stage"]]
		if previous is not None:
			expected.append(transitions(previous, current, date))
		previous = current
	pd.testing.assert_frame_equal(moves, pd.concat(expected, ignore_index=True))
	assert len(moves) >= 3


def test_a_frozen_card_is_not_absence():
	cards = pd.DataFrame(
		[
			card("F", "2025-01-01", "2026-12-31", frozen_from="2026-06-01", frozen_days=60),
			card("T", "2025-01-01", "2026-12-31", frozen_from="2026-05-20", frozen_days=30),
		]
	)
	visits = pd.DataFrame(came("F", "2026-05-25") + came("T", "2026-05-19", "2026-06-25"))
	facts = segment_members(cards, visits, None, AS_OF).set_index("member", drop=False)
	# F: frozen today, 35 days since the visit but only 7 of them unfrozen
	assert bool(facts.loc["F", "frozen"]) is True
	assert facts.loc["F", "days_since_last_visit"] == 7
	assert facts.loc["F", "stage"] != "Inactive"
	# T: back after a 30-day freeze: a 37-day gap is 7 days away, not a reactivation
	assert facts.loc["T", "returned_30"] == 7
	assert facts.loc["T", "stage"] != "Reactivated"
	risk = at_risk_dates(facts, AS_OF).set_index("member")
	assert pd.isna(risk.loc["F", "at_risk_date"])
	assert bool(risk.loc["F", "at_risk"]) is False
	assert risk.loc["T", "at_risk_date"] == pd.Timestamp("2026-07-09")


def test_a_card_renewed_in_advance_is_not_in_the_renewal_window():
	cards = pd.DataFrame(
		[
			card("R", "2025-07-15", "2026-07-14", membership="M-R0"),
			card("R", "2026-07-15", "2027-07-14", membership="M-R1", renews="M-R0"),
			card("S", "2025-07-15", "2026-07-14"),
		]
	)
	weekly = (
		"2026-05-18",
		"2026-05-25",
		"2026-06-01",
		"2026-06-08",
		"2026-06-15",
		"2026-06-22",
		"2026-06-29",
	)
	visits = pd.DataFrame(came("R", *weekly) + came("S", *weekly))
	facts = segment_members(cards, visits, None, AS_OF).set_index("member")
	assert facts.loc["R", "membership"] == "M-R0"
	assert facts.loc["R", "days_to_end"] == 379
	assert facts.loc["R", "stage"] != "Renewal window"
	assert facts.loc["S", "stage"] == "Renewal window"


def test_transitions_of_a_member_in_two_clubs_are_per_club():
	previous = pd.DataFrame(
		{"member": ["A", "A"], "club": ["North", "South"], "stage": ["Engaged", "Inactive"]}
	)
	current = previous.assign(stage=["Engaged", "Reactivated"])
	moves = transitions(previous, current, AS_OF)
	assert moves[["member", "from_stage", "to_stage"]].to_dict("records") == [
		{"member": "A", "from_stage": "Inactive", "to_stage": "Reactivated"}
	]
	assert transitions(previous, previous, AS_OF).empty
