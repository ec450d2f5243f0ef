"""churn-analytics lifecycle: segment a club's members from exported memberships and visits.

Reads a folder of CSV/XLSX files or one workbook with the tables memberships, visits and,
optionally, starter and targets (see churn_management.analytics.club_input), and writes a
workbook with the three reports: Lifecycle Segmentation, Lifecycle Statistics, Lifecycle Goals.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from churn_management.analytics.schema import InputError, Problem


def add_parser(commands) -> None:
	"""Register the lifecycle command on the tool's subparsers."""
	parser = commands.add_parser("lifecycle", help="segment club members by lifecycle stage from exports")
	parser.add_argument(
		"path", type=Path, help="folder of CSV/XLSX files, or one workbook with a sheet per table"
	)
	parser.add_argument("--as-of", required=True, type=_date, help="the date to segment on (YYYY-MM-DD)")
	parser.add_argument("--out", required=True, type=Path, help="the Excel workbook to write (.xlsx)")
	parser.add_argument("--json", type=Path, help="also write the segmentation and goals as JSON")
	parser.add_argument(
		"--weeks", type=int, default=13, help="weeks of history to replay for the statistics (13)"
	)
	parser.add_argument("--club", help="segment only this club")
	parser.add_argument(
		"--fixed-at-risk", action="store_true", help="use 14 days for the at-risk date instead of learning it"
	)
	parser.add_argument("--mapping", help="column-mapping file (JSON or CSV) for headers that differ")
	parser.add_argument("--quiet", action="store_true", help="print no progress")
	parser.set_defaults(handler=run_lifecycle)


def _date(text: str) -> pd.Timestamp:
	try:
		return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
	except (ValueError, TypeError):
		raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}")


def run_lifecycle(args: argparse.Namespace) -> int:
	from churn_management.analytics.club_input import prepare_club, stage_rules
	from churn_management.analytics.files import replacing
	from churn_management.analytics.lifecycle import PRESET_RULES, RuleError
	from churn_management.analytics.lifecycle_reports import lifecycle_report
	from churn_management.analytics.lifecycle_workbook import write_lifecycle_workbook
	from churn_management.analytics.loading import load_mapping
	from churn_management.cli import Console

	console = Console(args.quiet)
	if args.out.suffix.lower() != ".xlsx":
		raise InputError([Problem("options", f"--out must name an .xlsx file, not {args.out.name}")])
	if args.weeks < 0:
		raise InputError([Problem("options", "--weeks must not be negative")])
	console.step(f"Reading {args.path}")
	tables = read_club_tables(args.path, load_mapping(args.mapping))
	if "visits" in tables:  # what the segmentation does not read is not checked either
		tables["visits"] = tables["visits"].drop(columns=["external_id", "checkout"], errors="ignore")
	console.step("Checking the data")
	data = prepare_club(tables, args.as_of)
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
	console.step(f"Writing {args.out}")
	write_lifecycle_workbook(result, args.out)
	if args.json:
		with replacing(args.json) as temporary:
			temporary.write_text(json.dumps(summary(result), ensure_ascii=False, indent=2), encoding="utf-8")
	if not args.quiet:
		print(summary_text(result))
	return 0


def read_club_tables(path: Path, mapping) -> dict:
	"""Only the club's tables: a folder's other exports (customers, invoices) are not read."""
	from churn_management.analytics.club_input import CLUB_SCHEMAS
	from churn_management.analytics.loading import TABLE_SUFFIXES, load_tables

	if not path.is_dir():
		return load_tables(path, mapping, known_only=False)
	tables = {}
	for file in sorted(path.iterdir()):
		if file.suffix.lower() in TABLE_SUFFIXES and mapping.table_name(file.stem) in CLUB_SCHEMAS:
			tables.update(load_tables(file, mapping, known_only=False))
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


def summary(result) -> dict:
	"""The segmentation, the at-risk count and the latest goals, for JSON."""
	latest = result.goals.sort_values("period").groupby("goal").tail(1) if len(result.goals) else result.goals
	return {
		"as_of": result.as_of.date().isoformat(),
		"members": len(result.segmented),
		"at_risk": int(result.segmented["at_risk"].sum()),
		"at_risk_days": int(result.at_risk_days),
		"stages": [
			{"stage": r.stage, "members": int(r.members), "share": float(r.share)}
			for r in result.segmentation.itertuples()
		],
		"goals": [
			{
				"goal": r.goal,
				"period": r.period.date().isoformat(),
				"value": None if r.value is None else float(r.value),
			}
			for r in latest.itertuples()
		],
	}


def summary_text(result) -> str:
	data = summary(result)
	lines = [
		f"Lifecycle segmentation as of {data['as_of']}: {data['members']:,} members, "
		f"{data['at_risk']:,} past their at-risk date ({data['at_risk_days']} days without a visit)"
	]
	lines += [f"  {s['stage']}: {s['members']:,} ({100 * s['share']:.1f} %)" for s in data["stages"]]
	return "\n".join(lines)


if __name__ == "__main__":
	from churn_management.cli import main

	sys.exit(main(["lifecycle", *sys.argv[1:]]))
