"""churn-analytics: the churn diagnosis on plain CSV/Excel exports, without a Frappe site.

Commands: sample, diagnose, pseudonymize, demo. Bad input exits with status 2 and one message
per problem; output files are written whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from churn_management import __version__
from churn_management.analytics.schema import InputError, Problem

EXIT_BAD_INPUT = 2


class Console:
	"""Progress on standard error, with the time each step took."""

	def __init__(self, quiet: bool = False):
		self.quiet = quiet
		self.started = time.perf_counter()

	def step(self, message: str) -> None:
		if not self.quiet:
			print(f"[{time.perf_counter() - self.started:6.1f}s] {message}...", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
	parser = build_parser()
	args = parser.parse_args(argv)
	if not getattr(args, "command", None):
		parser.print_help()
		return EXIT_BAD_INPUT
	try:
		return args.handler(args)
	except InputError as error:
		for problem in error.problems:
			print(f"error: {problem}", file=sys.stderr)
		return EXIT_BAD_INPUT
	except KeyboardInterrupt:
		print("interrupted; nothing half-written was left behind", file=sys.stderr)
		return 130


def build_parser() -> argparse.ArgumentParser:
	parser = argparse.ArgumentParser(
		prog="churn-analytics",
		description="Churn self-diagnosis on exports from any billing program.",
	)
	parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
	commands = parser.add_subparsers(dest="command", metavar="COMMAND")

	sample = commands.add_parser("sample", help="write a realistic synthetic customer base as CSV files")
	_sample_options(sample)
	sample.add_argument("--out", required=True, type=Path, help="folder to write the CSV files into")
	sample.set_defaults(handler=run_sample)

	diagnose = commands.add_parser("diagnose", help="diagnose churn in a folder of exports or a workbook")
	diagnose.add_argument(
		"path", type=Path, help="folder of CSV/XLSX files, or one workbook with a sheet per table"
	)
	diagnose.add_argument(
		"--as-of", required=True, type=_date, help="the date to diagnose as of (YYYY-MM-DD)"
	)
	diagnose.add_argument(
		"--segment-by",
		action="extend",
		nargs="+",
		default=None,
		metavar="COL",
		help="customer columns to compare lifetimes by (default: customer_type, territory, tariff)",
	)
	diagnose.add_argument("--out", required=True, type=Path, help="the Excel workbook to write (.xlsx)")
	diagnose.add_argument("--json", type=Path, help="also write the results as JSON")
	_input_options(diagnose)
	diagnose.add_argument(
		"--churn-after-months", type=int, default=3, help="months unpaid before involuntary churn (3)"
	)
	diagnose.add_argument("--pre-churn-days", type=int, default=30, help="days overdue before pre-churn (30)")
	diagnose.add_argument("--quiet", action="store_true", help="print no progress")
	diagnose.set_defaults(handler=run_diagnose)

	pseudo = commands.add_parser("pseudonymize", help="write a copy with hashed ids and no personal data")
	pseudo.add_argument("path", type=Path, help="folder of CSV/XLSX files, or one workbook")
	pseudo.add_argument("--key", required=True, help="secret key: the same key gives the same ids")
	pseudo.add_argument(
		"--out", required=True, type=Path, help="folder to write the pseudonymised CSV files into"
	)
	_input_options(pseudo)
	pseudo.set_defaults(handler=run_pseudonymize)

	demo = commands.add_parser("demo", help="make a sample base and diagnose it in one go")
	_sample_options(demo)
	demo.add_argument(
		"--out", type=Path, default=Path("churn-demo"), help="folder for the sample and results"
	)
	demo.set_defaults(handler=run_demo)
	from churn_management import cli_lifecycle

	cli_lifecycle.add_parser(commands)
	return parser


def _sample_options(parser: argparse.ArgumentParser) -> None:
	parser.add_argument("--vertical", choices=("security", "isp", "fitness"), default="security")
	parser.add_argument("--customers", type=_positive, default=5000, help="how many customers (5000)")
	parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same files (1)")
	parser.add_argument(
		"--as-of", type=_date, default=None, help="last day of the sample's history (2026-06-30)"
	)


def _input_options(parser: argparse.ArgumentParser) -> None:
	parser.add_argument(
		"--mapping", help="column-mapping file (JSON or CSV) for headers that differ, or a bundled one: 1c-ru"
	)


def _date(text: str) -> pd.Timestamp:
	try:
		return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
	except (ValueError, TypeError):
		raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}")


def _positive(text: str) -> int:
	try:
		value = int(text)
	except ValueError:
		raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
	if value < 1:
		raise argparse.ArgumentTypeError("must be at least 1")
	return value


def run_sample(args: argparse.Namespace) -> int:
	from churn_management.analytics.sample import DEFAULT_AS_OF, generate, write_tables

	tables = generate(args.vertical, args.customers, args.seed, args.as_of or DEFAULT_AS_OF)
	paths = write_tables(tables, args.out)
	for path in paths:
		print(f"wrote {path} ({len(tables[path.stem]):,} rows)")
	return 0


def run_diagnose(args: argparse.Namespace) -> int:
	console = Console(args.quiet)
	result = diagnose_files(args.path, args.as_of, args.segment_by, args.mapping, args, console)
	_write_results(result, args.out, args.json, console)
	for warning in result.warnings:
		print(f"warning: {warning}", file=sys.stderr)
	if not args.quiet:
		print(summary_text(result))
	return 0


def diagnose_files(path, as_of, segment_by, mapping, args, console: Console):
	"""Read, validate and diagnose the exports in a folder or workbook."""
	from churn_management.analytics.diagnosis import diagnose
	from churn_management.analytics.loading import load_mapping, load_tables
	from churn_management.analytics.schema import prepare
	from churn_management.analytics.states import Thresholds

	try:
		thresholds = Thresholds(
			churn_after_months=getattr(args, "churn_after_months", 3),
			pre_churn_days=getattr(args, "pre_churn_days", 30),
		)
	except ValueError as error:
		raise InputError([Problem("options", str(error))])
	console.step(f"Reading {path}")
	tables = load_tables(path, load_mapping(mapping))
	console.step("Checking the data")
	data = prepare(tables)
	return diagnose(data, as_of, segment_by, thresholds, progress=console.step)


def _write_results(result, workbook: Path, json_path: Path | None, console: Console) -> None:
	from churn_management.analytics.files import replacing
	from churn_management.analytics.workbook import write_workbook

	if workbook.suffix.lower() != ".xlsx":
		raise InputError([Problem("options", f"--out must name an .xlsx file, not {workbook.name}")])
	payload = result.to_dict() if json_path else None
	console.step(f"Writing {workbook}")
	write_workbook(result, workbook)
	if json_path:
		with replacing(json_path) as temporary:
			temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
		console.step(f"Wrote {json_path}")


def summary_text(result) -> str:
	"""A few lines a manager reads first."""
	data = result.to_dict()
	rate = data["average_monthly_churn_rate"]
	lines = [
		f"Churn diagnosis as of {data['as_of']}",
		f"  customers {data['customers']:,}: {data['active']:,} with us "
		f"({data['states']['overdue']:,} overdue, {data['states']['pre_churn']:,} pre-churn), {data['churned']:,} churned",
		f"  average monthly churn, last 12 months: {_percent(rate)}",
		f"  managed share of classified churn: {_percent(data['managed_share'])}; "
		f"managed churn above target: {data['managed']['potential_customers']:,.0f} customers",
	]
	top = [r for r in data["reasons"] if r["churned"]][:3]
	if top:
		lines.append("  top reasons: " + "; ".join(f"{r['reason']} {_percent(r['share'])}" for r in top))
	overall = data["segments"].get("(all)", {}).get("(all)", {})
	if overall:
		median = overall.get("median_lifetime_months")
		lines.append(
			f"  median lifetime: {'not reached' if median is None else f'{median:.1f} months'}; "
			f"still with us after 12 months: {_percent(overall.get('survival_12m'))}"
		)
	strongest = result.drivers[result.drivers["significant"]].head(2) if len(result.drivers) else []
	for meaning in getattr(strongest, "meaning", []):
		lines.append(f"  {meaning}")
	return "\n".join(lines)


def _percent(value) -> str:
	return "n/a" if value is None else f"{100 * value:.1f} %"


def run_pseudonymize(args: argparse.Namespace) -> int:
	from churn_management.analytics.loading import load_mapping, load_tables
	from churn_management.analytics.pseudonymize import pseudonymize_tables
	from churn_management.analytics.sample import write_tables

	if not args.key.strip():
		raise InputError([Problem("options", "--key must not be empty")])
	tables = load_tables(args.path, load_mapping(args.mapping), known_only=False)
	clean, removed = pseudonymize_tables(tables, args.key)
	write_tables(clean, args.out)
	for name, columns in removed.items():
		listed = ", ".join(columns) if columns else "nothing"
		print(f"{name}: removed {listed}; customer ids replaced by keyed hashes")
	print(f"wrote {len(clean)} tables to {args.out}")
	return 0


def run_demo(args: argparse.Namespace) -> int:
	from churn_management.analytics.sample import DEFAULT_AS_OF, generate, write_tables

	console = Console()
	as_of = args.as_of or DEFAULT_AS_OF
	console.step(f"Making a sample {args.vertical} base of {args.customers:,} customers")
	tables = generate(args.vertical, args.customers, args.seed, as_of)
	data_dir = args.out / "data"
	write_tables(tables, data_dir)
	result = diagnose_files(data_dir, as_of, None, None, args, console)
	workbook = args.out / "diagnosis.xlsx"
	json_path = args.out / "diagnosis.json"
	_write_results(result, workbook, json_path, console)
	print(summary_text(result))
	print(f"\nOpen {workbook} for the full diagnosis; the sample data is in {data_dir}.")
	return 0


if __name__ == "__main__":
	sys.exit(main())
