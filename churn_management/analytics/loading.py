"""Reading exports from billing programs: a folder of CSV/XLSX files or one workbook.

Tables are found by file or sheet name (customers, invoices, terminations, reasons). A column
mapping renames tables and headers of exports whose names differ, for example 1C's Russian
headers. A mapping is a JSON file::

    {
        "tables": {"Абоненты": "customers"},
        "columns": {
            "customers": {"Код": "customer_id", "Дата подключения": "start_date"},
            "*": {"Абонент": "customer_id"},
        },
    }

or a CSV file with the columns ``table,source,target``, where ``table`` may be ``*`` (any
table), and a row whose table is ``tables`` renames a table: ``tables,Абоненты,customers``.
A bundled mapping can be named instead of a path: ``1c-ru`` (headers of 1C exports).
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from churn_management.analytics.schema import SCHEMAS, InputError, Problem

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls")
ID_COLUMNS = ("customer_id",)
BUNDLED_MAPPINGS = {"1c-ru": "1c_ru.json"}


class Mapping:
	"""Renames tables and columns; lookups ignore case and surrounding spaces."""

	def __init__(self, tables: dict | None = None, columns: dict | None = None):
		self.tables = {_key(k): v for k, v in (tables or {}).items()}
		self.columns = {
			_key(table): {_key(k): v for k, v in renames.items()}
			for table, renames in (columns or {}).items()
		}

	def table_name(self, name: str) -> str:
		key = _key(name)
		return self.tables.get(key, key.replace(" ", "_"))

	def column_renames(self, table: str, headers: list[str]) -> dict[str, str]:
		renames = {**self.columns.get("*", {}), **self.columns.get(_key(table), {})}
		result = {}
		for header in headers:
			key = _key(header)
			result[header] = renames.get(key, key.replace(" ", "_"))
		return result


def _key(name) -> str:
	return str(name).strip().lower()


def load_mapping(source: str | Path | None) -> Mapping:
	"""Read a mapping file (JSON or CSV), or a bundled one by name."""
	if source is None:
		return Mapping()
	if str(source) in BUNDLED_MAPPINGS:
		text = resources.files("churn_management.analytics").joinpath(
			"mappings", BUNDLED_MAPPINGS[str(source)]
		)
		data = json.loads(text.read_text(encoding="utf-8"))
		return Mapping(data.get("tables"), data.get("columns"))
	path = Path(source)
	if not path.is_file():
		raise InputError([Problem(str(path), "mapping file not found")])
	if path.suffix.lower() == ".json":
		try:
			data = json.loads(path.read_text(encoding="utf-8-sig"))
		except json.JSONDecodeError as error:
			raise InputError([Problem(str(path), f"not valid JSON: {error}")])
		return Mapping(data.get("tables"), data.get("columns"))
	tables: dict[str, str] = {}
	columns: dict[str, dict[str, str]] = {}
	with path.open(encoding="utf-8-sig", newline="") as handle:
		for row in csv.DictReader(handle):
			table, source_name, target = (row.get(k, "") or "" for k in ("table", "source", "target"))
			if _key(table) == "tables":
				tables[source_name] = target
			elif source_name and target:
				columns.setdefault(table or "*", {})[source_name] = target
	return Mapping(tables, columns)


def load_tables(
	path: str | Path, mapping: Mapping | None = None, known_only: bool = True
) -> dict[str, pd.DataFrame]:
	"""Read every known table (or every table at all) from a folder of files or one workbook."""
	mapping = mapping or Mapping()
	path = Path(path)
	if not path.exists():
		raise InputError([Problem(str(path), "no such file or folder")])
	if path.is_file():
		if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
			return _read_workbook(path, mapping, known_only)
		name = mapping.table_name(path.stem)
		return {name: _read_csv(path, mapping, name)}
	tables: dict[str, pd.DataFrame] = {}
	for file in sorted(path.iterdir()):
		if file.suffix.lower() not in TABLE_SUFFIXES or file.name.startswith(("~$", ".")):
			continue
		if file.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
			sheets = _read_workbook(file, mapping, known_only)
			if len(sheets) == 1 and mapping.table_name(file.stem) in SCHEMAS:
				tables[mapping.table_name(file.stem)] = next(iter(sheets.values()))
			else:
				tables.update(sheets)
			continue
		name = mapping.table_name(file.stem)
		if name in SCHEMAS or not known_only:
			tables[name] = _read_csv(file, mapping, name)
	if "customers" not in tables and known_only:
		raise InputError(
			[Problem("customers", f"no customers table (customers.csv or a sheet) found in {path}")]
		)
	return tables


def _read_workbook(path: Path, mapping: Mapping, known_only: bool = True) -> dict[str, pd.DataFrame]:
	try:
		sheets = pd.read_excel(path, sheet_name=None, dtype=object)
	except Exception as error:
		raise InputError([Problem(path.name, f"cannot read the workbook: {error}")])
	tables = {}
	for sheet, frame in sheets.items():
		name = mapping.table_name(sheet)
		if name not in SCHEMAS and len(sheets) > 1 and known_only:
			continue
		frame = frame.rename(columns=mapping.column_renames(name, list(frame.columns)))
		tables[name] = _ids_as_text(frame)
	return tables


def _ids_as_text(frame: pd.DataFrame) -> pd.DataFrame:
	"""Spreadsheets store numeric ids as numbers: 1001.0 must read back as 1001."""
	for column in ID_COLUMNS:
		if column in frame:
			values = frame[column]
			frame[column] = values.map(_id_text).astype("string")
	return frame


def _id_text(value) -> str | None:
	if value is None or (isinstance(value, float) and pd.isna(value)):
		return None
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return str(value).strip()


def _sniff(path: Path) -> tuple[str, str]:
	"""Guess the encoding (UTF-8 or Windows-1251, as 1C writes) and the delimiter."""
	head = path.open("rb").read(65536)
	try:
		text = head.decode("utf-8-sig")
		encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
	except UnicodeDecodeError:
		text, encoding = head.decode("cp1251", errors="replace"), "cp1251"
	first_line = text.splitlines()[0] if text else ""
	delimiter = max((";", ",", "\t", "|"), key=first_line.count)
	return encoding, delimiter


def _read_csv_fast(path: Path, delimiter: str, text_columns: list[str]) -> pd.DataFrame:
	"""Read a large UTF-8 CSV with pyarrow, keeping id columns as text (leading zeros matter)."""
	import pyarrow as pa
	from pyarrow import csv as pa_csv

	table = pa_csv.read_csv(
		path,
		parse_options=pa_csv.ParseOptions(delimiter=delimiter),
		convert_options=pa_csv.ConvertOptions(column_types={c: pa.string() for c in text_columns}),
	)
	return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get, date_as_object=False)


def _read_csv(path: Path, mapping: Mapping, table: str) -> pd.DataFrame:
	encoding, delimiter = _sniff(path)
	try:
		header = pd.read_csv(path, nrows=0, sep=delimiter, encoding=encoding).columns
	except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
		raise InputError([Problem(path.name, f"cannot read the file: {error}")])
	renames = mapping.column_renames(table, list(header))
	dtypes = {source: "string" for source, target in renames.items() if target in ID_COLUMNS}
	frame = None
	if encoding.startswith("utf-8"):
		try:
			frame = _read_csv_fast(path, delimiter, list(dtypes))
		except Exception:
			frame = None  # pyarrow is strict or absent: the C engine below says what is wrong
	if frame is None:
		try:
			frame = pd.read_csv(path, sep=delimiter, encoding=encoding, dtype=dtypes, low_memory=False)
		except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
			raise InputError([Problem(path.name, f"cannot read the file: {error}")])
	return frame.rename(columns=renames)
