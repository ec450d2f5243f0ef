"""What the commands of churn-analytics share: progress lines, the help layout, dates given as
options, checks of the output paths before any work, the data-quality warning and the JSON text."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd

from churn_management.analytics.exports.labels import Labels
from churn_management.analytics.exports.schema import InputError, Problem

REPLAYING = re.compile(r"Replaying (\d+) weeks of stages")


class Console:
	"""Progress on standard error, with the time each step took, in the chosen language."""

	def __init__(self, quiet: bool = False, language: str = "en"):
		self.quiet = quiet
		self.language = language
		self.started = time.perf_counter()

	def step(self, message: str, **values) -> None:
		if self.quiet:
			return
		from churn_management.analytics.exports.labels import TEXT, WordsFormatter

		replaying = REPLAYING.fullmatch(message)
		if replaying:
			message, values = "Replaying {weeks} weeks of stages", {"weeks": int(replaying.group(1))}
		if self.language == "ru":
			message = TEXT.get(message, message)
		text = WordsFormatter(self.language).format(message, **values) if values else message
		print(f"[{time.perf_counter() - self.started:6.1f}s] {text}...", file=sys.stderr, flush=True)


class HelpFormatter(argparse.HelpFormatter):
	"""Every option's help ends with its default, when it has one."""

	def _get_help_string(self, action: argparse.Action) -> str:
		text = action.help or ""
		if (
			action.option_strings
			and action.default not in (None, False, argparse.SUPPRESS)
			and "%(default)" not in text
		):
			text += " (default: %(default)s)"
		return text


def add_command(commands, name: str, description: str) -> argparse.ArgumentParser:
	"""A subcommand with its one-line description in the tool's --help and its own."""
	return commands.add_parser(name, help=description, description=description, formatter_class=HelpFormatter)


def _date(text: str) -> pd.Timestamp:
	from churn_management.analytics.exports.parsing import parse_date_text

	value = parse_date_text(text.strip())
	if value is None:
		raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD or DD.MM.YYYY: {text!r}")
	return pd.Timestamp(value)


def check_outputs(paths: list[Path | None], force: bool, suffixes: dict | None = None) -> None:
	"""Before any work: each output can be written and does not exist (unless --force)."""
	problems = []
	given = [p for p in paths if p is not None]
	if len({p.resolve() for p in given}) < len(given):
		problems.append(Problem("options", "the output files must differ"))
	for path in given:
		expected = (suffixes or {}).get(path)
		if expected and path.suffix.lower() != expected:
			problems.append(Problem("options", f"{path.name}: the file must end in {expected}"))
		if path.is_dir():
			problems.append(Problem(str(path), "is a folder; give a file name"))
		elif path.exists() and not force:
			problems.append(Problem(str(path), "exists already; give --force to replace it"))
		folder = path.absolute().parent
		if folder.exists() and not folder.is_dir():
			problems.append(Problem(str(path), f"cannot be created: {folder} is not a folder"))
		elif not folder.is_dir():
			problems.append(Problem(str(path), f"cannot be created: the folder {folder} does not exist"))
		elif not os.access(folder, os.W_OK | os.X_OK):
			problems.append(Problem(str(path), f"cannot be written: no permission to write in {folder}"))
	if problems:
		raise InputError(problems)


def print_quality(quality: list, language: str) -> None:
	"""One warning line for all the rows dropped or changed while loading."""
	if not quality:
		return
	t = Labels(language)
	rows = int(sum(note.rows for note in quality))
	message = t(
		"{rows:,} {rows!p:row was|rows were} dropped or changed while loading ({kinds} {kinds!p:kind|kinds}); "
		"see the sheet Data quality",
		rows=rows,
		kinds=len(quality),
	)
	print(f"{t('warning:')} {message}", file=sys.stderr)


def json_text(data) -> str:
	"""JSON any reader accepts: infinite or undefined numbers (a ratio with nothing below) become null."""
	return json.dumps(finite(data), ensure_ascii=False, indent=2, allow_nan=False)


def finite(value):
	"""The value with every float that is not a finite number replaced by None, at any depth."""
	if isinstance(value, float):
		return value if math.isfinite(value) else None
	if isinstance(value, dict):
		return {key: finite(item) for key, item in value.items()}
	if isinstance(value, list | tuple):
		return [finite(item) for item in value]
	if hasattr(value, "item") and not isinstance(value, str):
		return finite(value.item())
	return value
