"""The churn-analytics command end to end."""

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from churn_management.cli import main


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
	folder = tmp_path_factory.mktemp("sample")
	assert (
		main(["sample", "--vertical", "security", "--customers", "1500", "--seed", "3", "--out", str(folder)])
		== 0
	)
	return folder


def test_sample_is_realistic(sample):
	customers = pd.read_csv(sample / "customers.csv")
	invoices = pd.read_csv(sample / "invoices.csv")
	terminations = pd.read_csv(sample / "terminations.csv")
	reasons = pd.read_csv(sample / "reasons.csv")
	assert len(customers) == 1500
	assert set(customers["customer_type"]) == {"B2B", "B2C"}
	assert customers["end_date"].notna().mean() > 0.1
	assert invoices["paid_date"].isna().any()
	assert set(terminations["outcome"]) == {"Terminated", "Retained"}
	assert terminations["customer_words"].str.len().gt(5).all()
	assert set(terminations["reason"]) <= set(reasons["reason"])
	assert {"name", "phone", "email", "address"} <= set(customers.columns)


def test_same_seed_same_files(sample, tmp_path):
	main(["sample", "--vertical", "security", "--customers", "1500", "--seed", "3", "--out", str(tmp_path)])
	for name in ("customers", "invoices", "terminations", "reasons"):
		assert (tmp_path / f"{name}.csv").read_bytes() == (sample / f"{name}.csv").read_bytes()
	main(["sample", "--customers", "1500", "--seed", "4", "--out", str(tmp_path), "--force"])
	assert (tmp_path / "customers.csv").read_bytes() != (sample / "customers.csv").read_bytes()


@pytest.mark.parametrize("vertical", ["isp", "fitness"])
def test_every_vertical_samples(vertical, tmp_path):
	assert main(["sample", "--vertical", vertical, "--customers", "300", "--out", str(tmp_path)]) == 0
	assert len(pd.read_csv(tmp_path / "customers.csv")) == 300


def test_diagnose_writes_workbook_and_json(sample, tmp_path, capsys):
	out = tmp_path / "diagnosis.xlsx"
	report = tmp_path / "diagnosis.json"
	code = main(
		[
			"diagnose",
			str(sample),
			"--as-of",
			"2026-06-30",
			"--segment-by",
			"tariff",
			"channel",
			"--out",
			str(out),
			"--json",
			str(report),
			"--lang",
			"en",
		]
	)
	assert code == 0
	data = json.loads(report.read_text())
	assert data["period"] == {"from": "2025-07-01", "to": "2026-06-30"}
	in_period = [m for m in data["churn_rate_monthly"] if "2025-07" <= m["month"] <= "2026-06"]
	assert len(in_period) == 12
	assert sum(r["churned"] for r in data["reasons"]) == sum(m["churned"] for m in in_period)
	churned, base = sum(m["churned"] for m in in_period), sum(m["start_active"] for m in in_period)
	assert data["average_monthly_churn_rate"] == pytest.approx(churned / base, abs=1e-6)
	assert data["as_of"] == "2026-06-30"
	assert data["customers"] == 1500
	assert data["active"] + data["churned"] == data["customers"]
	month = data["churn_rate_monthly"][-1]
	assert set(month) >= {"month", "start_active", "churned", "rate", "mrr_rate"}
	assert all(
		set(r) >= {"group", "reason", "managed", "churned", "share", "target_share"} for r in data["reasons"]
	)
	assert 0 < data["managed_share"] < 1
	assert set(data["segments"]) >= {"tariff", "channel"}
	annual = data["segments"]["channel"]
	for values in annual.values():
		assert set(values) >= {
			"customers",
			"churned",
			"churn_share",
			"median_lifetime_months",
			"survival_12m",
			"survival_24m",
		}
	sheets = load_workbook(out).sheetnames
	assert sheets[0] == "Summary"
	assert {"Churn by month", "Reasons", "Cohorts", "Lifetime", "Seasonality"} <= set(sheets)
	assert load_workbook(out)["Churn by month"]._charts
	assert "Churn diagnosis as of 2026-06-30" in capsys.readouterr().out


def test_an_unreadable_column_exits_2_naming_the_users_header(tmp_path, capsys):
	(tmp_path / "Абоненты.csv").write_text(
		"Лицевой счёт;Дата подключения\n1;2024-02-30\n2;вчера\n3;2024-01-01\n", encoding="utf-8"
	)
	out = tmp_path / "d.xlsx"
	code = main(
		[
			"diagnose",
			str(tmp_path),
			"--as-of",
			"2026-06-30",
			"--out",
			str(out),
			"--quiet",
			"--mapping",
			"1c-ru",
			"--lang",
			"en",
		]
	)
	assert code == 2
	errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
	assert (
		"error: Абоненты.csv (customers), column 'Дата подключения' (start_date), row 2: "
		"cannot read the date '2024-02-30'" in errors
	)
	assert "row 3: cannot read the date 'вчера'" in errors[1]
	assert not out.exists()
	assert not list(tmp_path.glob(".*.partial"))


def test_missing_folder_and_column(tmp_path, capsys):
	assert (
		main(
			[
				"diagnose",
				str(tmp_path / "nowhere"),
				"--as-of",
				"2026-06-30",
				"--out",
				str(tmp_path / "x.xlsx"),
			]
		)
		== 2
	)
	(tmp_path / "customers.csv").write_text("customer_id\n1\n")
	assert main(["diagnose", str(tmp_path), "--as-of", "2026-06-30", "--out", str(tmp_path / "x.xlsx")]) == 2
	err = capsys.readouterr().err
	assert "no such file or folder" in err
	assert (
		"customers.csv (customers): required column start_date is missing; columns found: 'customer_id'"
		in err
	)


def test_unknown_segment_and_bad_date(sample, tmp_path, capsys):
	assert (
		main(
			[
				"diagnose",
				str(sample),
				"--as-of",
				"2026-06-30",
				"--segment-by",
				"shoe_size",
				"--out",
				str(tmp_path / "x.xlsx"),
			]
		)
		== 2
	)
	assert "segment column not found" in capsys.readouterr().err
	with pytest.raises(SystemExit) as exit_:
		main(["diagnose", str(sample), "--as-of", "31.02.2026", "--out", str(tmp_path / "x.xlsx")])
	assert exit_.value.code == 2


def test_a_failed_write_leaves_no_file(sample, tmp_path, monkeypatch):
	from churn_management.analytics.exports import workbook

	def explode(*args, **kwargs):
		raise OSError("disk full")

	monkeypatch.setattr(workbook.Workbook, "save", explode)
	out = tmp_path / "d.xlsx"
	with pytest.raises(OSError):
		main(
			[
				"diagnose",
				str(sample),
				"--as-of",
				"2026-06-30",
				"--out",
				str(out),
				"--json",
				str(tmp_path / "d.json"),
			]
		)
	assert list(tmp_path.iterdir()) == []


def test_pseudonymize(sample, tmp_path, capsys, monkeypatch):
	out = tmp_path / "clean"
	assert main(["pseudonymize", str(sample), "--key", "s3cret", "--out", str(out)]) == 0
	printed = capsys.readouterr().out
	assert "customers: hashed customer_id; dropped name, phone, email, address; kept start_date" in printed
	report = json.loads((out / "pseudonymization.json").read_text())
	assert report["customers"]["dropped"] == ["name", "phone", "email", "address"]
	assert "tariff" in report["customers"]["kept"]
	customers = pd.read_csv(out / "customers.csv")
	original = pd.read_csv(sample / "customers.csv")
	assert not {"name", "phone", "email", "address"} & set(customers.columns)
	assert not set(customers["customer_id"]) & set(original["customer_id"])
	invoices = pd.read_csv(out / "invoices.csv")
	assert set(invoices["customer_id"]) <= set(customers["customer_id"])
	again = tmp_path / "again"
	monkeypatch.setenv("CHURN_PSEUDONYM_KEY", "s3cret")
	assert main(["pseudonymize", str(sample), "--out", str(again)]) == 0
	assert (again / "customers.csv").read_bytes() == (out / "customers.csv").read_bytes()
	assert (
		main(["diagnose", str(out), "--as-of", "2026-06-30", "--out", str(tmp_path / "p.xlsx"), "--quiet"])
		== 0
	)


def test_demo(tmp_path, capsys):
	assert main(["demo", "--customers", "800", "--out", str(tmp_path / "demo")]) == 0
	assert (tmp_path / "demo" / "diagnosis.xlsx").is_file()
	assert json.loads((tmp_path / "demo" / "diagnosis.json").read_text())["customers"] == 800
	assert "Open" in capsys.readouterr().out


def test_presets_are_complete_and_consistent():
	from churn_management.analytics.churn.presets import (
		VERTICALS,
		available_languages,
		load_preset,
		reason_rows,
	)

	for vertical in VERTICALS:
		assert "en" in available_languages(vertical)
		for language in available_languages(vertical):
			preset = load_preset(vertical, language)
			reasons = reason_rows(preset)
			assert abs(sum(r["target_share"] for r in reasons) - 100) < 0.01
			assert abs(sum(r["sample_weight"] for r in reasons) - 100) < 0.01
			assert sum(r["involuntary"] for r in reasons) == 1
			methods = {m["method_name"] for m in preset["methods"]}
			assert all(m["method_name"] in methods for r in reasons for m in r["methods"])
			names = [g["group_name"] for g in preset["groups"]] + [r["reason_name"] for r in reasons]
			assert len(names) == len(set(names))
			assert all(len(g["speech_module"]["steps"]) >= 5 for g in preset["groups"])
	with pytest.raises(ValueError):
		load_preset("nowhere")
