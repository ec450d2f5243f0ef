"""The Russian translation covers every string the desk shows, with its placeholders intact."""

import csv
import re

from tests.app_checks import APP
from tests.translatable import app_strings, read_translations

RU = APP / "translations" / "ru.csv"
PLACEHOLDER = re.compile(r"\{\d*\}")


def test_rows_are_pairs():
	with RU.open(encoding="utf-8", newline="") as handle:
		rows = list(csv.reader(handle))
	assert rows
	assert all(len(row) == 2 and row[0] and row[1] for row in rows)


def test_every_string_is_translated():
	missing = sorted(app_strings() - set(read_translations(RU)))
	assert missing == []


def test_placeholders_survive_translation():
	wrong = {
		source: target
		for source, target in read_translations(RU).items()
		if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target))
	}
	assert wrong == {}


def test_strings_are_collected():
	strings = app_strings()
	assert "Termination Application" in strings
	assert "The customer's own words" in strings
	assert "Customer {0} has already churned: see churn record {1}." in strings
