"""churn-analytics lifecycle: segment a club's members from exported memberships and visits.

Reads a folder of CSV/XLSX files or one workbook with the tables memberships, visits and,
optionally, starter, stages and targets (see churn_management.analytics.exports.club_input), and writes a
workbook with the three reports: Lifecycle Segmentation, Lifecycle Statistics, Lifecycle Goals.
The options and guarantees are those of ``diagnose``: ids stay text as exported, rows that cannot
be used are dropped and listed on the Data quality sheet, the workbook and the JSON are written
both or neither, and nothing is overwritten without --force.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from churn_management.analytics.exports.labels import LANGUAGES, default_language
from churn_management.analytics.exports.schema import InputError, Problem

LAPSED_HORIZON_DAYS = 90  # members whose newest card ended longer ago are out of the base


def add_parser(commands) -> None:
	"""Register the lifecycle command on the tool's subparsers."""
	from churn_management.cli_common import _date, add_command

	parser = add_command(commands, "lifecycle", "segment club members by lifecycle stage from exports")
	parser.add_argument(
		"path", type=Path, help="folder of CSV/XLSX files, or one workbook with a sheet per table"
	)
	parser.add_argument(
		"--as-of", required=True, type=_date, help="the date to segment on (YYYY-MM-DD or DD.MM.YYYY)"
	)
	parser.add_argument("--out", required=True, type=Path, help="the Excel workbook to write (.xlsx)")
	parser.add_argument("--json", type=Path, help="also write the segmentation and goals as JSON (.json)")
	parser.add_argument("--force", action="store_true", help="replace output files that exist")
	parser.add_argument("--weeks", type=int, default=13, help="weeks of history to replay for the statistics")
	parser.add_argument("--club", help="segment only this club (default: every club)")
	parser.add_argument(
		"--fixed-at-risk", action="store_true", help="use 14 days for the at-risk date instead of learning it"
	)
	parser.add_argument(
		"--mapping",
		help="column-mapping file (JSON or CSV) for headers that differ, or a bundled one: club-ru "
		"(Russian club exports: Карты, Визиты, Клиент, Дата начала, Время входа, ...)",
	)
	parser.add_argument(
		"--lang",
		choices=LANGUAGES,
		help="language of the workbook and of what is printed (default: from the locale; ru for club-ru)",
	)
	parser.add_argument("--quiet", action="store_true", help="print no progress (the summary still)")
	parser.set_defaults(handler=run_lifecycle)


def run_lifecycle(args: argparse.Namespace) -> int:
	from churn_management.analytics.exports.club_input import prepare_club, stage_rules
	from churn_management.analytics.exports.loading import load_mapping
	from churn_management.analytics.lifecycle.reports import lifecycle_report
	from churn_management.analytics.lifecycle.segmentation import PRESET_RULES, RuleError
	from churn_management.cli_common import Console, check_outputs, print_quality

	check_outputs([args.out, args.json], args.force, {args.out: ".xlsx", args.json: ".json"})
	if args.weeks < 0:
		raise InputError([Problem("options", "--weeks must not be negative")])
	language = args.lang or default_language(args.mapping)
	console = Console(args.quiet, language)
	console.step("Reading {path}", path=args.path)
	tables = read_club_tables(args.path, load_mapping(args.mapping))
	if "visits" in tables:  # what the segmentation does not read is not checked either
		tables["visits"] = tables["visits"].drop(columns=["external_id", "checkout"], errors="ignore")
	console.step("Checking the data")
	data, quality = prepare_club(tables, args.as_of)
	if args.club:
		data = _one_club(data, args.club)
	try:
		result = lifecycle_report(
			data,
			args.as_of,
			rules=stage_rules(data.get("stages")) or PRESET_RULES,
			weeks=args.weeks,
			learn=not args.fixed_at_risk,
			progress=console.step,
		)
	except RuleError as error:
		raise InputError([Problem("stages", str(error))])
	left_out = lapsed_members(data["memberships"], args.as_of)
	console.step("Writing {path}", path=args.out)
	write_outputs(result, args, language, quality, left_out)
	print_quality(quality, language)
	print(summary_text(result, language, left_out))
	return 0


def write_outputs(result, args: argparse.Namespace, language: str, quality: list, left_out: int) -> None:
	"""The workbook and the JSON: both or neither."""
	from churn_management.analytics.exports.files import replacing_all
	from churn_management.analytics.exports.lifecycle_workbook import save_lifecycle_workbook
	from churn_management.cli_common import json_text

	payload = json_text(summary(result, quality, left_out)) if args.json else None
	targets = [args.out, args.json] if args.json else [args.out]
	with replacing_all(targets) as temporaries:
		save_lifecycle_workbook(result, temporaries[0], language, quality)
		if args.json:
			temporaries[1].write_text(payload, encoding="utf-8")


def read_club_tables(path: Path, mapping) -> dict:
	"""Only the club's tables: a folder's other exports (customers, invoices) are not read.

	When memberships or visits are missing, the error lists the files and sheets found.
	"""
	from churn_management.analytics.exports.club_input import CLUB_SCHEMAS
	from churn_management.analytics.exports.loading import (
		EXCEL_SUFFIXES,
		TABLE_SUFFIXES,
		_is_our_output,
		load_tables,
	)

	tables: dict = {}
	found: list[str] = []
	if not path.exists():
		raise InputError([Problem(str(path), "no such file or folder")])
	files = sorted(path.iterdir()) if path.is_dir() else [path]
	for file in files:
		if file.suffix.lower() not in TABLE_SUFFIXES or file.name.startswith(("~$", ".")):
			continue
		if file.suffix.lower() in EXCEL_SUFFIXES:
			if path.is_dir() and _is_our_output(file):
				continue
			sheets = load_tables(file, mapping, known_only=False)
			found += [frame.attrs.get("origin") or file.name for frame in sheets.values()]
			tables.update({name: frame for name, frame in sheets.items() if name in CLUB_SCHEMAS})
			continue
		found.append(file.name)
		if mapping.table_name(file.stem) in CLUB_SCHEMAS:
			tables.update(load_tables(file, mapping, known_only=False))
	missing = [name for name in ("memberships", "visits") if name not in tables]
	if missing:
		listed = ", ".join(found) or "no CSV or Excel files"
		raise InputError(
			[
				Problem(
					str(path),
					f"no {' and no '.join(missing)} table found; found: {listed}; name the files or sheets "
					"memberships and visits, or give --mapping (for Russian club exports: --mapping club-ru)",
				)
			]
		)
	return tables


def _one_club(data: dict, club: str) -> dict:
	cards = data["memberships"]
	if club not in set(cards["club"].dropna()):
		raise InputError([Problem("options", f"no memberships in the club {club!r}")])
	cards = cards[cards["club"] == club]
	members = set(cards["member"])
	out = {**data, "memberships": cards, "visits": data["visits"][data["visits"]["member"].isin(members)]}
	if "starter" in data:
		out["starter"] = data["starter"][data["starter"]["member"].isin(members)]
	return out


def lapsed_members(cards: pd.DataFrame, as_of) -> int:
	"""Members whose newest card ended more than the lapsed horizon before the date: out of the base."""
	started = cards[cards["start_date"] <= pd.Timestamp(as_of)]
	last_end = started.groupby("member")["end_date"].max()
	return int((last_end < pd.Timestamp(as_of) - pd.Timedelta(days=LAPSED_HORIZON_DAYS)).sum())


def summary(result, quality: list | None = None, left_out: int = 0) -> dict:
	"""The segmentation, the at-risk count, the latest goals and the data quality, for JSON."""
	latest = result.goals.sort_values("period").groupby("goal").tail(1) if len(result.goals) else result.goals
	return {
		"as_of": result.as_of.date().isoformat(),
		"members": len(result.segmented),
		"at_risk": int(result.segmented["at_risk"].sum()),
		"at_risk_days": int(result.at_risk_days),
		"left_out_lapsed": left_out,
		"stages": [
			{"stage": r.stage, "members": int(r.members), "share": float(r.share)}
			for r in result.segmentation.itertuples()
		],
		"goals": [
			{
				"goal": r.goal,
				"period": r.period.date().isoformat(),
				"value": None if r.value is None or pd.isna(r.value) else float(r.value),
			}
			for r in latest.itertuples()
		],
		"data_quality": [note.to_dict() for note in quality or []],
	}


def summary_text(result, language: str = "en", left_out: int = 0) -> str:
	"""A few lines a club manager reads first, in the chosen language."""
	from churn_management.analytics.exports.labels import percent_text
	from churn_management.analytics.exports.lifecycle_workbook import LifecycleWords

	t = LifecycleWords(language)
	data = summary(result)
	lines = [
		t(
			"Lifecycle segmentation as of {date}: {members:,} {members!p:member|members}, {at_risk:,} past "
			"their at-risk date ({days} {days!p:day|days} without a visit)",
			date=result.as_of.strftime("%d.%m.%Y"),
			members=data["members"],
			at_risk=data["at_risk"],
			days=data["at_risk_days"],
		)
	]
	lines += [
		f"  {t.value(s['stage'])}: {t('{n:,}', n=s['members'])} ({percent_text(s['share'], language)})"
		for s in data["stages"]
	]
	if left_out:
		lines.append(
			t(
				"  left out: {count:,} {count!p:member|members} whose last card ended more than {days} days "
				"before that date",
				count=left_out,
				days=LAPSED_HORIZON_DAYS,
			)
		)
	return "\n".join(lines)


if __name__ == "__main__":
	from churn_management.cli import main

	sys.exit(main(["lifecycle", *sys.argv[1:]]))
