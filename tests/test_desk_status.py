"""The desk's daily status rules: net debt per company, returns, pending applications."""

import pandas as pd

from churn_management.analytics.churn.desk_status import status_updates
from churn_management.analytics.churn.states import Thresholds
from churn_management.analytics.debt.net_debt import net_debts

AS_OF = "2024-06-30"


def invoices(*rows):
	return pd.DataFrame(rows, columns=["customer", "company", "due_date", "outstanding"]).assign(
		due_date=lambda f: pd.to_datetime(f["due_date"])
	)


def credits(*rows):
	return pd.DataFrame(rows, columns=["customer", "company", "amount"])


def records(*rows):
	frame = pd.DataFrame(rows, columns=["record", "customer", "company", "churn_date", "returnable"])
	frame["churn_date"] = pd.to_datetime(frame["churn_date"])
	return frame


def customers(**statuses):
	return pd.DataFrame({"customer": list(statuses), "churn_status": list(statuses.values())})


def test_advances_and_credit_notes_pay_the_oldest_invoices_first():
	debts = net_debts(
		invoices(
			("a", "C1", "2024-01-31", 100.0),
			("a", "C1", "2024-02-29", 100.0),
			("a", "C1", "2024-03-31", 100.0),
			("a", "C1", "2024-04-30", -50.0),  # an unapplied credit note
		),
		credits(("a", "C1", 120.0)),
		AS_OF,
	)
	# 170 of credit pays January and 70 of February: 30 of February and all of March remain
	assert debts.loc[0, "oldest_due"] == pd.Timestamp("2024-02-29")
	assert debts.loc[0, "outstanding"] == 130.0


def test_two_companies_never_mix():
	debts = net_debts(
		invoices(("a", "C1", "2024-01-31", 100.0), ("a", "C2", "2024-05-31", 40.0)),
		credits(("a", "C2", 500.0)),
		AS_OF,
	)
	assert debts[["company", "outstanding"]].values.tolist() == [["C1", 100.0]]


def test_a_residue_below_the_minimum_amount_is_no_debt():
	debts = net_debts(
		invoices(("a", "C1", "2024-01-31", 0.01), ("b", "C1", "2024-01-31", 5.0)),
		None,
		AS_OF,
		min_amount=1.0,
	)
	assert debts["customer"].tolist() == ["b"]


def test_a_young_debt_owes_but_is_not_yet_overdue():
	debts = net_debts(invoices(("a", "C1", "2024-06-29", 100.0)), None, AS_OF, min_days=5)
	assert debts.loc[0, "outstanding"] == 100.0
	assert pd.isna(debts.loc[0, "oldest_due"])


def test_debt_due_before_the_latest_return_does_not_count():
	returns = pd.DataFrame({"customer": ["a"], "last_return": pd.to_datetime(["2024-05-10"])})
	debts = net_debts(
		invoices(("a", "C1", "2024-01-31", 100.0), ("a", "C1", "2024-05-31", 30.0)),
		None,
		AS_OF,
		returns=returns,
	)
	assert debts.loc[0, "oldest_due"] == pd.Timestamp("2024-05-31")
	assert debts.loc[0, "outstanding"] == 30.0


def test_nothing_owed_gives_an_empty_frame():
	assert net_debts(invoices(), None, AS_OF).empty
	assert net_debts(invoices(("a", "C1", "2024-07-31", 10.0)), None, AS_OF).empty


def _debts(*rows):
	frame = pd.DataFrame(rows, columns=["customer", "company", "oldest_due", "outstanding"])
	frame["oldest_due"] = pd.to_datetime(frame["oldest_due"])
	return frame


def test_statuses_records_and_idempotence():
	people = customers(
		ok="Active",
		late=None,
		pre="Active",
		debtor="Pre-churn",
		churned="Churned",
		back="Won back",
		same="Overdue",
	)
	debts = _debts(
		("late", "C1", "2024-06-25", 10.0),
		("pre", "C1", "2024-05-20", 20.0),
		("debtor", "C2", "2024-03-15", 30.0),
		("churned", "C1", "2024-01-01", 40.0),
		("same", "C1", "2024-06-20", 5.0),
	)
	open_records = records(("CR-1", "churned", "C1", "2024-04-01", True))
	plan = status_updates(people, debts, open_records, AS_OF).set_index("customer")
	assert sorted(plan.index) == ["debtor", "late", "pre"]
	assert plan.loc["late", "status"] == "Overdue"
	assert plan.loc["pre", "status"] == "Pre-churn"
	assert plan.loc["debtor", "status"] == "Churned"
	assert bool(plan.loc["debtor", "needs_record"])
	assert plan.loc["debtor", "churn_date"] == pd.Timestamp("2024-06-15")
	assert plan.loc["debtor", "company"] == "C2"
	again = people.assign(churn_status=people["customer"].map(plan["status"]).fillna(people["churn_status"]))
	open_records = pd.concat([open_records, records(("CR-2", "debtor", "C2", "2024-06-15", True))])
	assert status_updates(again, debts, open_records, AS_OF).empty


def test_paying_in_full_returns_a_non_payment_churn():
	people = customers(payer="Churned", leaver="Churned", other_company="Churned")
	open_records = records(
		("CR-1", "payer", "C1", "2024-04-01", True),
		("CR-2", "leaver", "C1", "2024-04-01", False),  # voluntary: paying does not bring them back
		("CR-3", "other_company", "C1", "2024-04-01", True),
	)
	debts = _debts(("other_company", "C2", "2024-06-01", 50.0))
	plan = status_updates(people, debts, open_records, AS_OF).set_index("customer")
	assert plan.loc["payer", "returned_record"] == "CR-1"
	assert plan.loc["payer", "status"] == "Active"
	assert "leaver" not in plan.index
	# debt in another company does not keep the C1 record open, but the customer is overdue there
	assert plan.loc["other_company", "returned_record"] == "CR-3"
	assert plan.loc["other_company", "status"] == "Overdue"


def test_a_pending_application_or_suspension_is_pre_churn():
	people = customers(filed="Active", owing="Overdue")
	pending = pd.DataFrame({"customer": ["filed", "owing"]})
	debts = _debts(("owing", "C1", "2024-06-20", 5.0))
	plan = status_updates(people, debts, records(), AS_OF, pending=pending).set_index("customer")
	assert plan.loc["filed", "status"] == "Pre-churn"
	assert plan.loc["owing", "status"] == "Pre-churn"


def test_won_back_stays_until_new_debt_and_future_records_are_pre_churn():
	people = customers(back="Won back", leaving="Active", back_late="Won back")
	debts = _debts(("back_late", "C1", "2024-05-01", 10.0))
	plan = status_updates(
		people, debts, records(("CR-9", "leaving", "C1", "2024-08-01", False)), AS_OF, Thresholds()
	).set_index("customer")
	assert "back" not in plan.index
	assert plan.loc["leaving", "status"] == "Pre-churn"
	assert plan.loc["back_late", "status"] == "Pre-churn"
