"""churn-analytics lifecycle: the workbook from a sample club, and bad exports refused with reasons."""

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from churn_management.cli import main


@pytest.fixture(scope="module")
def club(tmp_path_factory):
	folder = tmp_path_factory.mktemp("club")
	assert main(["sample", "--vertical", "fitness", "--customers", "800", "--out", str(folder)]) == 0
	return folder


def test_the_fitness_sample_writes_cards_visits_and_starter(club):
	cards = pd.read_csv(club / "memberships.csv")
	visits = pd.read_csv(club / "visits.csv")
	assert set(cards["status"]) <= {"Active", "Expired", "Renewed", "Cancelled"}
	assert visits["external_id"].is_unique
	assert visits["checkin"].str.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
	assert set(visits["member"]) <= set(cards["member"])
	assert (pd.read_csv(club / "starter.csv")["service"].nunique()) == 4


def test_lifecycle_writes_three_reports(club, tmp_path, capsys):
	out, report = tmp_path / "lifecycle.xlsx", tmp_path / "lifecycle.json"
	code = main(
		["lifecycle", str(club), "--as-of", "2026-06-30", "--out", str(out), "--json", str(report), "--quiet"]
	)
	assert code == 0
	sheets = load_workbook(out).sheetnames
	assert sheets[:3] == ["Lifecycle Segmentation", "Lifecycle Statistics", "Lifecycle Goals"]
	data = json.loads(report.read_text())
	assert sum(s["members"] for s in data["stages"]) == data["members"] > 0
	assert sum(s["share"] for s in data["stages"]) == pytest.approx(1)
	assert {g["goal"] for g in data["goals"]} >= {"renewal_share", "reactivated_share"}


def test_one_club(club, tmp_path):
	cards = pd.read_csv(club / "memberships.csv")
	name = cards["club"].iloc[0]
	report = tmp_path / "one.json"
	args = ["lifecycle", str(club), "--as-of", "2026-06-30", "--club", name, "--quiet"]
	assert main([*args, "--out", str(tmp_path / "one.xlsx"), "--json", str(report)]) == 0
	everyone = tmp_path / "all.json"
	assert main([*args[:-3], "--quiet", "--out", str(tmp_path / "all.xlsx"), "--json", str(everyone)]) == 0
	assert 0 < json.loads(report.read_text())["members"] < json.loads(everyone.read_text())["members"]


def write(folder, cards, visits):
	folder.mkdir(exist_ok=True)
	pd.DataFrame(cards).to_csv(folder / "memberships.csv", index=False)
	pd.DataFrame(visits).to_csv(folder / "visits.csv", index=False)
	return folder


def test_bad_exports_are_refused_with_row_and_reason(tmp_path, capsys):
	cards = [
		{"membership": "1", "member": "A", "club": "X", "start_date": "2026-01-01", "end_date": "2025-12-01"},
		{"membership": "2", "member": "B", "club": "X", "start_date": "2026-01-01", "end_date": "2026-12-31"},
		{"membership": "3", "member": "B", "club": "X", "start_date": "2026-06-01", "end_date": "2027-05-31"},
	]
	visits = [
		{"member": "B", "checkin": "2025-12-20 10:00:00"},
		{"member": "B", "checkin": "2026-07-02 10:00:00"},
		{"member": "Z", "checkin": "2026-03-01 10:00:00"},
	]
	folder = write(tmp_path / "bad", cards, visits)
	out = tmp_path / "x.xlsx"
	assert main(["lifecycle", str(folder), "--as-of", "2026-06-30", "--out", str(out), "--quiet"]) == 2
	errors = capsys.readouterr().err
	assert "memberships.csv, column end_date, row 2: ends 2025-12-01, before the card starts" in errors
	assert "memberships.csv, column start_date, row 4: starts 2026-06-01, inside another card" in errors
	assert "visits.csv, column checkin, row 2: 2025-12-20 10:00 is before the member's card starts" in errors
	assert "visits.csv, column checkin, row 3: 2026-07-02 10:00 is after the as-of date" in errors
	assert "visits.csv, column member, row 4: no card for the member Z" in errors
	assert not out.exists()


def test_a_renewal_the_day_after_is_no_overlap(tmp_path):
	cards = [
		{"membership": "1", "member": "B", "club": "X", "start_date": "2025-06-01", "end_date": "2026-05-31"},
		{
			"membership": "2",
			"member": "B",
			"club": "X",
			"start_date": "2026-06-01",
			"end_date": "2027-05-31",
			"renews": "1",
		},
		{"membership": "3", "member": "B", "club": "Y", "start_date": "2026-01-01", "end_date": "2026-12-31"},
	]
	folder = write(tmp_path / "ok", cards, [{"member": "B", "checkin": "2026-06-29 10:00:00"}])
	report = tmp_path / "ok.json"
	args = ["lifecycle", str(folder), "--as-of", "2026-06-30", "--quiet", "--json", str(report)]
	assert main([*args, "--out", str(tmp_path / "ok.xlsx")]) == 0
	# judged once per club: the renewed card in X and the card in Y
	assert json.loads(report.read_text())["members"] == 2


def test_the_clubs_own_stages_replace_the_presets(tmp_path, capsys):
	cards = [
		{"membership": "1", "member": "A", "club": "X", "start_date": "2026-01-01", "end_date": "2026-12-31"},
		{"membership": "2", "member": "B", "club": "X", "start_date": "2026-01-01", "end_date": "2026-12-31"},
	]
	folder = write(tmp_path / "own", cards, [{"member": "A", "checkin": "2026-06-20 10:00:00"}])
	stages = [{"stage": "Came this month", "order": 1, "visit_window_days": 30, "visits_min": 1}]
	pd.DataFrame(stages).to_csv(folder / "stages.csv", index=False)
	report = tmp_path / "own.json"
	args = ["lifecycle", str(folder), "--as-of", "2026-06-30", "--quiet", "--force", "--json", str(report)]
	assert main([*args, "--out", str(tmp_path / "own.xlsx")]) == 0
	counts = {s["stage"]: s["members"] for s in json.loads(report.read_text())["stages"]}
	assert counts == {"Came this month": 1, "Other": 1}

	stages.append({"stage": "Also first", "order": 1, "renewed": "no"})
	pd.DataFrame(stages).to_csv(folder / "stages.csv", index=False)
	assert main([*args, "--out", str(tmp_path / "bad.xlsx")]) == 2
	assert "share the order 1: no order decides" in capsys.readouterr().err
	assert not (tmp_path / "bad.xlsx").exists()
