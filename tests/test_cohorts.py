import numpy as np

from churn_management.analytics.churn.cohorts import retention_matrix
from churn_management.analytics.churn.states import customer_states


def test_retention_matrix_by_hand(make_dataset):
	data = make_dataset(
		[
			{"customer_id": "a", "start_date": "2024-01-05", "end_date": "2024-02-20"},
			{"customer_id": "b", "start_date": "2024-01-25", "end_date": "2024-04-01"},
			{"customer_id": "c", "start_date": "2024-01-31"},
			{"customer_id": "d", "start_date": "2024-01-15"},
			{"customer_id": "e", "start_date": "2024-03-10"},
		]
	)
	matrix = retention_matrix(customer_states(data, "2024-05-15"), "2024-05-15", max_months=6)
	january = matrix.loc["2024-01-01"]
	assert january["customers"] == 4
	assert [january[k] for k in range(5)] == [1.0, 1.0, 0.75, 0.75, 0.5]
	assert np.isnan(january[5])
	march = matrix.loc["2024-03-01"]
	assert march["customers"] == 1
	assert [march[k] for k in range(3)] == [1.0, 1.0, 1.0]
	assert np.isnan(march[3])
	assert "2024-02-01" not in matrix.index.strftime("%Y-%m-%d")
