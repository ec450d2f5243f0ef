"""churn-analytics: the churn diagnosis on plain CSV/Excel exports, without a Frappe site.

Commands: sample, diagnose, pseudonymize, demo, lifecycle (each registered by a function in SUBCOMMANDS).
Bad input exits with status 2 and one message per problem, naming the user's file, sheet and
header; output paths are checked before the analysis, and output files are written whole or not
at all (the workbook and the JSON together), with the usual file mode.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd

from churn_management import __version__
from churn_management.analytics.exports.labels import LANGUAGES, Labels, default_language, percent_text
from churn_management.analytics.exports.messages import problem_text
from churn_management.analytics.exports.schema import InputError, Problem
from churn_management.cli_common import (
	Console,
	HelpFormatter,
	_date,
	add_command,
	check_outputs,
	json_text,
	print_quality,
)

EXIT_BAD_INPUT = 2
KEY_VARIABLE = "CHURN_PSEUDONYM_KEY"


def main(argv: list[str] | None = None) -> int:
	parser = build_parser()
	args = parser.parse_args(argv)
	if not getattr(args, "command", None):
		parser.print_help()
		return EXIT_BAD_INPUT
	try:
		return args.handler(args)
	except InputError as error:
		language = command_language(args)
		t = Labels(language)
		for problem in error.problems:
			print(f"{t('error:')} {problem_text(problem, language)}", file=sys.stderr)
		return EXIT_BAD_INPUT
	except KeyboardInterrupt:
		t = Labels(command_language(args))
		print(t("interrupted; nothing half-written was left behind"), file=sys.stderr)
		return 130


def command_language(args: argparse.Namespace) -> str:
	"""The language a command prints in: --lang, else from the mapping or the locale."""
	language = getattr(args, "lang", None)
	return language if language in LANGUAGES else default_language(getattr(args, "mapping", None))


def build_parser() -> argparse.ArgumentParser:
	parser = argparse.ArgumentParser(
		prog="churn-analytics",
		description="Churn self-diagnosis on exports from any billing program.",
	)
	parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
	commands = parser.add_subparsers(dest="command", metavar="COMMAND")
	for register in SUBCOMMANDS:
		register(commands)
	return parser


def add_sample(commands) -> None:
	sample = add_command(commands, "sample", "write a realistic synthetic customer base as CSV files")
	_sample_options(sample)
	sample.add_argument(
		"--out", required=True, type=Path, help="folder to write the CSV files into (its parent must exist)"
	)
	_force_option(sample, "write into a folder that has files already")
	_quiet_option(sample)
	sample.set_defaults(handler=run_sample)


def add_diagnose(commands) -> None:
	diagnose = add_command(commands, "diagnose", "diagnose churn in a folder of exports or a workbook")
	diagnose.add_argument(
		"path", type=Path, help="folder of CSV/XLSX files, or one workbook with a sheet per table"
	)
	diagnose.add_argument(
		"--as-of", required=True, type=_date, help="the date to diagnose as of (YYYY-MM-DD or DD.MM.YYYY)"
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
	diagnose.add_argument("--json", type=Path, help="also write the results as JSON (.json)")
	_force_option(diagnose, "replace output files that exist")
	diagnose.add_argument(
		"--period",
		help="period for the churn rate and reason shares: N months up to the as-of date, "
		"FROM..TO (dates), or all (from the first month with data) (default: 12)",
	)
	_language_option(diagnose)
	_input_options(diagnose)
	diagnose.add_argument(
		"--churn-after-months", type=int, default=3, help="months unpaid before involuntary churn"
	)
	diagnose.add_argument("--pre-churn-days", type=int, default=30, help="days overdue before pre-churn")
	_quiet_option(diagnose)
	diagnose.set_defaults(handler=run_diagnose)


def add_pseudonymize(commands) -> None:
	pseudo = add_command(commands, "pseudonymize", "write a copy with hashed ids and no personal data")
	pseudo.add_argument("path", type=Path, help="folder of CSV/XLSX files, or one workbook")
	pseudo.add_argument(
		"--key",
		help=f"secret key: the same key gives the same ids (better: set ${KEY_VARIABLE}, "
		"so the key is not visible in the process list)",
	)
	pseudo.add_argument(
		"--out",
		required=True,
		type=Path,
		help="folder to write the pseudonymised CSV files into (its parent must exist)",
	)
	_force_option(pseudo, "write into a folder that has files already")
	_input_options(pseudo)
	pseudo.set_defaults(handler=run_pseudonymize)


def add_demo(commands) -> None:
	demo = add_command(commands, "demo", "make a sample base and diagnose it in one go")
	_sample_options(demo)
	demo.add_argument(
		"--out",
		type=Path,
		default=Path("churn-demo"),
		help="folder for the sample and results (its parent must exist)",
	)
	_force_option(demo, "write into a folder that has files already")
	_language_option(demo)
	_quiet_option(demo)
	demo.set_defaults(handler=run_demo)


def add_lifecycle(commands) -> None:
	from churn_management import cli_lifecycle

	cli_lifecycle.add_parser(commands)


# Each registers one subcommand on the subparsers; append a function to add a command.
SUBCOMMANDS = [add_sample, add_diagnose, add_pseudonymize, add_demo, add_lifecycle]


def _sample_options(parser: argparse.ArgumentParser) -> None:
	parser.add_argument(
		"--vertical",
		choices=("security", "isp", "fitness"),
		default="security",
		help="kind of business: security, isp or fitness (a club with cards and visits)",
	)
	parser.add_argument("--customers", type=_positive, default=5000, help="how many customers")
	parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same files")
	parser.add_argument(
		"--as-of",
		type=_date,
		default=None,
		help="last day of the sample's history, YYYY-MM-DD or DD.MM.YYYY (default: 2026-06-30)",
	)


def _input_options(parser: argparse.ArgumentParser) -> None:
	parser.add_argument(
		"--mapping", help="column-mapping file (JSON or CSV) for headers that differ, or a bundled one: 1c-ru"
	)


def _force_option(parser: argparse.ArgumentParser, text: str) -> None:
	parser.add_argument("--force", action="store_true", help=text)


def _quiet_option(parser: argparse.ArgumentParser) -> None:
	parser.add_argument("--quiet", action="store_true", help="print no progress (the summary still)")


def _language_option(parser: argparse.ArgumentParser) -> None:
	parser.add_argument(
		"--lang",
		choices=LANGUAGES,
		help="language of the workbook and of what is printed (default: from the locale; ru for 1c-ru)",
	)


def _positive(text: str) -> int:
	try:
		value = int(text)
	except ValueError:
		raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
	if value < 1:
		raise argparse.ArgumentTypeError("must be at least 1")
	return value


def parse_period(text: str | None, as_of: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
	"""--period: N months up to the as-of date, FROM..TO, or all."""
	from churn_management.analytics.churn.diagnosis import default_period

	if text is None:
		return default_period(as_of)
	value = text.strip().lower()
	if value == "all":
		return pd.Timestamp("1901-01-01"), as_of
	months = value.removesuffix("m").removesuffix(" months")
	if months.isdigit() and int(months) >= 1:
		return default_period(as_of, int(months))
	parts = [p.strip() for p in value.replace("…", "..").split("..")]
	if len(parts) == 2:
		start, end = (_date(p) if p else None for p in parts)
		return start or pd.Timestamp("1901-01-01"), end or as_of
	raise InputError(
		[Problem("options", f"--period {text!r}: give a number of months (12), FROM..TO (dates) or all")]
	)


def check_out_folder(folder: Path, force: bool) -> None:
	"""Before any work: an output folder is new or empty (unless --force), in a folder that exists."""
	problems = []
	parent = folder.absolute().parent
	if folder.exists() and not folder.is_dir():
		problems.append(Problem(str(folder), "is a file; give a folder"))
	elif folder.is_dir() and any(folder.iterdir()) and not force:
		problems.append(
			Problem(str(folder), "exists already and is not empty; give --force to write into it")
		)
	elif not folder.exists() and not parent.is_dir():
		problems.append(Problem(str(folder), f"cannot be created: the folder {parent} does not exist"))
	elif not os.access(folder if folder.exists() else parent, os.W_OK | os.X_OK):
		problems.append(Problem(str(folder), "cannot be written: no permission"))
	if problems:
		raise InputError(problems)


def run_sample(args: argparse.Namespace) -> int:
	from churn_management.analytics.exports.sample import DEFAULT_AS_OF

	check_out_folder(args.out, args.force)
	console = Console(args.quiet)
	tables = make_sample(args, args.as_of or DEFAULT_AS_OF, args.out, console)
	for name, frame in tables.items():
		rows = len(frame)
		print(f"wrote {args.out / (name + '.csv')} ({rows:,} {'row' if rows == 1 else 'rows'})")
	return 0


def make_sample(
	args: argparse.Namespace, as_of, folder: Path, console: Console, language: str = "en"
) -> dict:
	"""Generate a sample base with progress and write its CSV files into a folder."""
	from churn_management.analytics.exports.sample import generate, write_tables

	console.step(
		"Making a sample {vertical} base of {customers:,} customers",
		vertical=args.vertical,
		customers=args.customers,
	)
	tables = generate(args.vertical, args.customers, args.seed, as_of, console.step, language)
	folder.mkdir(exist_ok=True)
	for name, frame in tables.items():
		console.step("Writing {path}", path=folder / f"{name}.csv")
		write_tables({name: frame}, folder)
	return tables


def run_diagnose(args: argparse.Namespace) -> int:
	check_outputs([args.out, args.json], args.force, {args.out: ".xlsx", args.json: ".json"})
	language = args.lang or default_language(args.mapping)
	console = Console(args.quiet, language)
	period = parse_period(args.period, args.as_of)
	result = diagnose_files(args.path, args.as_of, args.segment_by, args.mapping, args, console, period)
	write_results(result, args.out, args.json, console, language)
	print_quality(result.quality, language)
	print_warnings(result, language)
	print(summary_text(result, language))
	return 0


def print_warnings(result, language: str) -> None:
	"""The diagnosis' warnings; the covariates left out of the lifetime model in the chosen language."""
	from churn_management.analytics.churn.survival import left_out_text

	t = Labels(language)
	left_out = result.drivers.attrs.get("left_out", [])
	said = {left_out_text(*entry) for entry in left_out}
	for warning in result.warnings:
		if language == "en":
			print(f"{t('warning:')} {warning}", file=sys.stderr)
		elif warning.message not in said:
			print(f"{t('warning:')} {_russian_warning(warning)}", file=sys.stderr)
	if language != "en":
		for column, value, twin in left_out:
			twin = (t.header(twin[0]), twin[1]) if twin else None
			print(
				f"{t('warning:')} {left_out_text(t.header(column), value, twin, language)}", file=sys.stderr
			)


OVERFLOW = re.compile(
	r"([\d,]+) different values; the (\d+) largest are shown, the rest together as \(other\)"
)


def _russian_warning(warning: Problem) -> str:
	"""The diagnosis' usual warnings in Russian; any other as it is."""
	if warning.message == "not a known table, ignored":
		return f"{warning.table}: неизвестная таблица, пропущена"
	overflow = OVERFLOW.fullmatch(warning.message)
	if overflow:
		count = overflow.group(1).replace(",", " ")
		return (
			f"{warning.table}, столбец {warning.header or warning.column}: {count} разных значений; "
			f"показаны {overflow.group(2)} самых крупных, остальные вместе как (прочие)"
		)
	return problem_text(warning, "ru")


def diagnose_files(path, as_of, segment_by, mapping, args, console: Console, period=None):
	"""Read, validate and diagnose the exports in a folder or workbook."""
	from churn_management.analytics.churn.diagnosis import diagnose
	from churn_management.analytics.churn.states import Thresholds
	from churn_management.analytics.exports.loading import load_mapping, load_tables
	from churn_management.analytics.exports.schema import prepare

	try:
		thresholds = Thresholds(
			churn_after_months=getattr(args, "churn_after_months", 3),
			pre_churn_days=getattr(args, "pre_churn_days", 30),
		)
	except ValueError as error:
		raise InputError([Problem("options", str(error))])
	console.step("Reading {path}", path=path)
	tables = load_tables(path, load_mapping(mapping))
	release_memory()
	segment_by = _segment_names(segment_by, tables.get("customers"))
	console.step("Checking the data")
	data = prepare(tables, as_of)
	del tables
	release_memory()
	return diagnose(data, as_of, segment_by, thresholds, progress=console.step, period=period)


def _segment_names(segment_by: list[str] | None, customers) -> list[str] | None:
	"""Segment columns may be given by the user's own header (Тариф) or by the column name (tariff)."""
	if not segment_by or customers is None:
		return segment_by
	by_header = {str(h).strip().lower(): name for name, h in (customers.attrs.get("headers") or {}).items()}
	return [c if c in customers.columns else by_header.get(c.strip().lower(), c) for c in segment_by]


def release_memory() -> None:
	"""Give memory the CSV reader held while parsing back to the system before the next step."""
	import pyarrow as pa

	pa.default_memory_pool().release_unused()


def write_results(
	result, workbook: Path, json_path: Path | None, console: Console, language: str = "en"
) -> None:
	"""Write the workbook and the JSON: both or neither."""
	from churn_management.analytics.exports.files import replacing_all
	from churn_management.analytics.exports.workbook import save_workbook

	payload = json_text(result.to_dict()) if json_path else None
	console.step("Writing {path}", path=workbook)
	targets = [workbook, json_path] if json_path else [workbook]
	with replacing_all(targets) as temporaries:
		save_workbook(result, temporaries[0], language)
		if json_path:
			temporaries[1].write_text(payload, encoding="utf-8")


def summary_text(result, language: str = "en") -> str:
	"""A few lines a manager reads first, in the workbook's language."""
	from churn_management.analytics.churn.survival import hazard_in_words
	from churn_management.analytics.exports.labels import Labels

	t = Labels(language)
	data = result.to_dict()
	period = f"{result.period[0].strftime('%d.%m.%Y')} - {result.period[1].strftime('%d.%m.%Y')}"
	lines = [
		t("Churn diagnosis as of {date}", date=data["as_of"]),
		t(
			"  customers {customers:,}: {active:,} with us ({overdue:,} overdue, {pre_churn:,} pre-churn), "
			"{churned:,} churned",
			customers=data["customers"],
			active=data["active"],
			overdue=data["states"]["overdue"],
			pre_churn=data["states"]["pre_churn"],
			churned=data["churned"],
		),
		t(
			"  average monthly churn, {period}: {rate}",
			period=period,
			rate=_percent(data["average_monthly_churn_rate"], language),
		),
		t(
			"  managed share of classified churn: {share}; managed churn above target: "
			"{excess:,} {excess!p:customer|customers}",
			share=_percent(data["managed_share"], language),
			excess=round(data["managed"]["potential_customers"] or 0),
		),
	]
	top = [r for r in data["reasons"] if r["churned"]][:3]
	if top:
		reasons = "; ".join(f"{t.value(r['reason'])} {_percent(r['share'], language)}" for r in top)
		lines.append(t("  top reasons: {reasons}", reasons=reasons))
	overall = data["segments"].get("(all)", {}).get("(all)", {})
	if overall:
		median = overall.get("median_lifetime_months")
		lines.append(
			t(
				"  median lifetime: {median}; still with us after 12 months: {share}",
				median=t("not reached") if median is None else t("{months:.1f} months", months=median),
				share=_percent(overall.get("survival_12m"), language),
			)
		)
	strongest = result.drivers[result.drivers["significant"]].head(2) if len(result.drivers) else []
	for row in getattr(strongest, "itertuples", list)():
		column = row.column if language == "en" else t.header(row.column)
		meaning = hazard_in_words(column, row.value, row.baseline, row.hazard_ratio, True, language)
		lines.append(f"  {meaning}")
	return "\n".join(lines)


def _percent(value, language: str = "en") -> str:
	return percent_text(value, language)


def run_pseudonymize(args: argparse.Namespace) -> int:
	from churn_management.analytics.exports.files import replacing_all
	from churn_management.analytics.exports.loading import load_mapping, load_tables
	from churn_management.analytics.exports.pseudonymize import pseudonymize_tables

	key = args.key if args.key is not None else os.environ.get(KEY_VARIABLE, "")
	if not key.strip():
		raise InputError(
			[Problem("options", f"give the secret key in the environment variable {KEY_VARIABLE} (or --key)")]
		)
	check_out_folder(args.out, args.force)
	mapping = load_mapping(args.mapping)
	tables = load_tables(args.path, mapping, known_only=False)
	clean, report = pseudonymize_tables(tables, key, mapping.personal)
	paths = [args.out / f"{name}.csv" for name in clean] + [args.out / "pseudonymization.json"]
	with replacing_all(paths) as temporaries:
		for frame, temporary in zip(clean.values(), temporaries, strict=False):
			_dates_as_text(frame).to_csv(temporary, index=False)
		summary = {name: entry.to_dict() for name, entry in report.items()}
		temporaries[-1].write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
	for name, entry in report.items():
		print(
			f"{name}: hashed {_listed(entry.hashed)}; dropped {_listed(entry.dropped)}; kept {_listed(entry.kept)}"
		)
	print(f"wrote {len(clean)} tables and pseudonymization.json to {args.out}")
	return 0


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
	"""Dates as YYYY-MM-DD, and date-times (check-ins) to the minute as YYYY-MM-DD HH:MM."""
	out = frame.copy(deep=False)
	for column in out.columns:
		values = out[column]
		if pd.api.types.is_datetime64_any_dtype(values):
			timed = bool((values.dropna() != values.dropna().dt.normalize()).any())
			out[column] = values.dt.strftime("%Y-%m-%d %H:%M" if timed else "%Y-%m-%d")
	return out


def _listed(columns: list[str]) -> str:
	return ", ".join(columns) if columns else "nothing"


def run_demo(args: argparse.Namespace) -> int:
	from churn_management.analytics.exports.sample import DEFAULT_AS_OF

	check_out_folder(args.out, args.force)
	language = args.lang or default_language()
	console = Console(args.quiet, language)
	as_of = args.as_of or DEFAULT_AS_OF
	args.out.mkdir(exist_ok=True)
	data_dir = args.out / "data"
	make_sample(args, as_of, data_dir, console, language)
	result = diagnose_files(data_dir, as_of, None, None, args, console)
	workbook = args.out / "diagnosis.xlsx"
	json_path = args.out / "diagnosis.json"
	write_results(result, workbook, json_path, console, language)
	print(summary_text(result, language))
	t = Labels(language)
	print(
		"\n"
		+ t(
			"Open {workbook} for the full diagnosis; the sample data is in {data}.",
			workbook=workbook,
			data=data_dir,
		)
	)
	return 0


if __name__ == "__main__":
	sys.exit(main())
