"""The diagnosis figures a manager would question: the period, the average churn, the lifetime model, JSON."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from churn_management.analytics.exports.labels import Labels
from churn_management.cli import main


def diagnose(folder, *extra, as_of="2026-06-30"):
	out, report = folder / "out.xlsx", folder / "out.json"
	args = ["diagnose", str(folder), "--as-of", as_of, "--out", str(out), "--json", str(report), "--force"]
	assert main([*args, *extra]) == 0
	return json.loads(report.read_text(), parse_constant=_refuse)


def _refuse(constant):
	raise AssertionError(f"the JSON holds {constant}, which no JSON reader accepts")


def customers(folder, rows: list[str], header="customer_id,start_date,end_date,tariff") -> None:
	(folder / "customers.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_period_all_starts_at_the_first_month_with_data(tmp_path):
	customers(tmp_path, ["a,2025-03-10,,Basic", "b,2025-04-01,2025-09-15,Basic", "c,2025-05-01,,Basic"])
	data = diagnose(tmp_path, "--period", "all", "--quiet")
	assert data["period"] == {"from": "2025-03-01", "to": "2026-06-30"}
	data = diagnose(tmp_path, "--period", "36", "--quiet")
	assert data["period"]["from"] == "2025-03-01"


def test_average_monthly_churn_is_weighted_by_customers(tmp_path):
	# June 2025: 2 customers, 1 leaves (50 %); July 2025: 100 customers, 1 leaves (1 %)
	rows = ["a,2025-05-01,2025-06-10,Basic", "b,2025-05-01,2025-07-20,Basic"]
	rows += [f"c{i},2025-06-15,,Basic" for i in range(99)]
	customers(tmp_path, rows)
	data = diagnose(tmp_path, "--period", "2025-06-01..2025-07-31", "--quiet", as_of="2025-07-31")
	months = {m["month"][:7]: m for m in data["churn_rate_monthly"]}
	churned = months["2025-06"]["churned"] + months["2025-07"]["churned"]
	base = months["2025-06"]["start_active"] + months["2025-07"]["start_active"]
	assert data["average_monthly_churn_rate"] == pytest.approx(churned / base, abs=1e-6)
	assert data["average_monthly_churn_rate"] < 0.05


def test_a_covariate_that_repeats_another_is_left_out_and_said_so(tmp_path, capsys):
	rng = np.random.default_rng(1)
	n = 1500
	start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 1200, n), unit="D")
	end = start + pd.to_timedelta(rng.exponential(500, n).astype(int), unit="D")
	kind = np.where(rng.random(n) < 0.3, "B2B", "B2C")
	tariff = np.where(kind == "B2B", "Corporate", np.where(rng.random(n) < 0.5, "Home", "Home+"))
	frame = pd.DataFrame(
		{
			"customer_id": [f"C{i}" for i in range(n)],
			"start_date": start.strftime("%Y-%m-%d"),
			"end_date": end.where(end < pd.Timestamp("2026-06-30")).strftime("%Y-%m-%d"),
			"customer_type": kind,
			"tariff": tariff,
			"territory": "North",
		}
	)
	frame.to_csv(tmp_path / "customers.csv", index=False)
	data = diagnose(tmp_path, "--quiet", "--lang", "en")
	drivers = data["lifetime_drivers"]
	assert ("tariff", "Corporate") not in {(d["column"], d["value"]) for d in drivers}
	assert all(0.01 < d["ci_low"] <= d["ci_high"] < 100 for d in drivers)
	assert "tariff = Corporate is left out: the same customers as customer_type = B2B" in data["warnings"][-1]
	err = capsys.readouterr().err
	assert "territory is left out: every customer has the same value" in err


def test_the_json_holds_no_infinity_with_thousands_of_tariffs(tmp_path):
	rng = np.random.default_rng(2)
	n = 3000
	start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 1200, n), unit="D")
	end = start + pd.to_timedelta(rng.exponential(500, n).astype(int), unit="D")
	pd.DataFrame(
		{
			"customer_id": [f"C{i}" for i in range(n)],
			"start_date": start.strftime("%Y-%m-%d"),
			"end_date": end.where(end < pd.Timestamp("2026-06-30")).strftime("%Y-%m-%d"),
			"tariff": [f"T{i}" for i in range(n)],
		}
	).to_csv(tmp_path / "customers.csv", index=False)
	data = diagnose(tmp_path, "--quiet", "--lang", "en")
	assert data["customers"] == n
	text = (tmp_path / "out.json").read_text()
	assert "Infinity" not in text and "NaN" not in text


def test_russian_summary_uses_russian_numbers_and_agreeing_nouns(tmp_path, capsys):
	assert main(["sample", "--customers", "1500", "--out", str(tmp_path / "data"), "--quiet"]) == 0
	capsys.readouterr()
	args = ["diagnose", str(tmp_path / "data"), "--as-of", "2026-06-30", "--lang", "ru"]
	assert main([*args, "--out", str(tmp_path / "d.xlsx")]) == 0
	printed = capsys.readouterr()
	assert "клиентов 1 500:" in printed.out
	assert re.search(r"средний месячный отток, [\d.]+ - [\d.]+: \d+,\d %", printed.out)
	assert re.search(r"сверх цели: \d+ клиент(а|ов)?$", printed.out, re.MULTILINE)
	progress = [line for line in printed.err.splitlines() if line.startswith("[")]
	assert progress and all(re.match(r"\[\s*[\d.]+s\] [А-Я]", line) for line in progress), progress


@pytest.mark.parametrize(
	("count", "russian", "english"),
	[
		(1, "1 клиент", "1 customer"),
		(3, "3 клиента", "3 customers"),
		(153, "153 клиента", "153 customers"),
		(11, "11 клиентов", "11 customers"),
		(5000, "5 000 клиентов", "5,000 customers"),
	],
)
def test_counted_nouns_agree(count, russian, english):
	from churn_management.analytics.exports.labels import plural_form

	phrase = "{n:,} {n!p:customer|customers}"
	assert Labels("en")(phrase, n=count) == english
	assert Labels("ru")("{n:,} {n!p:клиент|клиента|клиентов}", n=count) == russian
	assert plural_form(21, "ru") == 0 and plural_form(22, "ru") == 1 and plural_form(25, "ru") == 2


def test_tiny_months_are_marked_and_do_not_set_the_chart_scale(tmp_path):
	from openpyxl import load_workbook

	# two customers in spring 2024 (one leaves: 50 %), then two hundred from the summer, 2 % a month
	rows = ["a,2024-03-01,2024-04-10,Basic", "b,2024-03-01,,Basic"]
	ends = [f"2025-0{1 + i % 9}-15" if i < 30 else "" for i in range(200)]
	rows += [f"c{i},2024-06-01,{end},Basic" for i, end in enumerate(ends)]
	customers(tmp_path, rows)
	diagnose(tmp_path, "--quiet", "--lang", "en", "--period", "all")
	sheet = load_workbook(tmp_path / "out.xlsx")["Churn by month"]
	months = [c.value for c in sheet["A"][1:] if c.value]
	assert "2024-04 *" in months and "2024-07" in months
	(chart,) = sheet._charts
	assert chart.y_axis.scaling.max is not None and chart.y_axis.scaling.max < 0.2
	assert any("fewer than 30 customers" in str(c.value) for c in sheet["A"])


def test_russian_warnings_are_russian(tmp_path, capsys):
	rows = [f"c{i},2024-0{1 + i % 9}-01,{'2025-03-01' if i % 3 else ''},T{i % 40}" for i in range(400)]
	customers(tmp_path, rows)
	diagnose(tmp_path, "--quiet", "--lang", "ru")
	warnings = [line for line in capsys.readouterr().err.splitlines() if line]
	assert warnings and all(line.startswith("предупреждение: ") for line in warnings), warnings
	assert any("40 разных значений; показаны 20 самых крупных" in line for line in warnings), warnings
