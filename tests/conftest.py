"""Shared helpers for the site-free tests."""

from __future__ import annotations

import pandas as pd
import pytest

from churn_management.analytics.exports.schema import prepare


def dataset(
	customers: list[dict],
	invoices: list[dict] | None = None,
	terminations: list[dict] | None = None,
	reasons: list[dict] | None = None,
):
	"""A validated dataset from rows written by hand."""
	tables = {"customers": pd.DataFrame(customers)}
	if invoices is not None:
		tables["invoices"] = pd.DataFrame(invoices)
	if terminations is not None:
		tables["terminations"] = pd.DataFrame(terminations)
	if reasons is not None:
		tables["reasons"] = pd.DataFrame(reasons)
	return prepare(tables)


@pytest.fixture
def make_dataset():
	return dataset
