import pytest

from churn_management.analytics.churn.reasons import churn_by_group, churn_by_reason, managed_summary
from churn_management.analytics.churn.states import customer_states

CLASSIFIER = [
	{"group": "Price", "reason": "Too expensive", "managed": "yes", "target_share": 10},
	{"group": "Unmanaged", "reason": "Moved abroad", "managed": "no", "target_share": 40},
	{"group": "Temporary difficulties", "reason": "Non-payment", "managed": "да", "target_share": 20},
	{"group": "Price", "reason": "Found cheaper", "managed": "1", "target_share": 30},
]


def make(make_dataset, reasons):
	customers = [
		{"customer_id": f"c{i}", "start_date": "2023-01-01", "end_date": "2024-01-15", "monthly_fee": 100}
		for i in range(len(reasons))
	]
	customers.append({"customer_id": "stays", "start_date": "2023-01-01"})
	terminations = [
		{"customer_id": f"c{i}", "date": "2024-01-10", "reason": r} for i, r in enumerate(reasons)
	]
	return make_dataset(customers, terminations=terminations, reasons=CLASSIFIER)


def test_shares_against_targets(make_dataset):
	reasons = ["Too expensive"] * 5 + ["Moved abroad"] * 4 + ["Rude staff"]
	data = make(make_dataset, reasons)
	table = churn_by_reason(customer_states(data, "2024-06-30"), data.reasons).set_index("reason")
	assert table.loc["Too expensive", "churned"] == 5
	assert table.loc["Too expensive", "share"] == pytest.approx(0.5)
	assert table.loc["Too expensive", "target_share"] == pytest.approx(0.1)
	assert table.loc["Too expensive", "excess"] == pytest.approx(4.0)
	assert table.loc["Too expensive", "managed"] is True
	assert table.loc["Moved abroad", "managed"] is False
	assert table.loc["Moved abroad", "excess"] == 0
	assert table.loc["Rude staff", "group"] == "Unclassified"
	assert table.loc["Rude staff", "managed"] is None
	assert table.loc["Found cheaper", "churned"] == 0
	assert table["churned"].sum() == 10


def test_managed_summary_and_groups(make_dataset):
	reasons = ["Too expensive"] * 5 + ["Moved abroad"] * 4 + ["Rude staff"]
	data = make(make_dataset, reasons)
	table = churn_by_reason(customer_states(data, "2024-06-30"), data.reasons)
	summary = managed_summary(table)
	assert summary["managed"] == 5
	assert summary["unmanaged"] == 4
	assert summary["unknown"] == 1
	assert summary["managed_share"] == pytest.approx(5 / 9)
	assert summary["potential_customers"] == pytest.approx(4.0)
	assert summary["potential_mrr"] == pytest.approx(400.0)
	groups = churn_by_group(table).set_index("group")
	assert groups.loc["Price", "churned"] == 5
	assert groups.loc["Price", "target_share"] == pytest.approx(0.4)
	assert groups.loc["Price", "managed"] is True


def test_without_a_classifier_managed_share_is_unknown(make_dataset):
	data = make_dataset(
		[{"customer_id": "a", "start_date": "2023-01-01", "end_date": "2024-01-15"}],
		terminations=[{"customer_id": "a", "date": "2024-01-10", "reason": "Price"}],
	)
	table = churn_by_reason(customer_states(data, "2024-06-30"))
	assert managed_summary(table)["managed_share"] is None
	assert table.loc[0, "group"] == "Unclassified"
