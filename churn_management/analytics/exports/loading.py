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
        "personal": ["Контактное лицо"],
    }

or a CSV file with the columns ``table,source,target``, where ``table`` may be ``*`` (any
table), and a row whose table is ``tables`` renames a table: ``tables,Абоненты,customers``.
A bundled mapping can be named instead of a path: ``1c-ru`` (headers of 1C exports).

The encoding of a CSV file is decided on the whole file: UTF-8 (with or without a byte-order
mark), UTF-16 with a byte-order mark, or Windows-1251 (as 1C writes) only when the file holds no
UTF-8 at all; otherwise the error names the file, line and byte. The header row may follow a few
title lines (1C prints a report title first): the first of the top lines that names known
columns is taken. Every table read carries ``attrs["origin"]`` (the file, and sheet) and
``attrs["headers"]`` (the user's own header for each column name), so errors speak the user's words.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from churn_management.analytics.exports.schema import SCHEMAS, InputError, Problem

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ID_COLUMNS = ("customer_id", "member", "membership", "renews", "external_id")
BUNDLED_MAPPINGS = {"1c-ru": "1c_ru.json", "club-ru": "club_ru.json"}
HEADER_SEARCH_LINES = 30
CHUNK = 1 << 24
DELIMITERS = (";", ",", "\t", "|")
FIRST_DAY = (pd.Timestamp("1901-01-01") - pd.Timestamp("1970-01-01")).days
LAST_DAY = (pd.Timestamp("2200-12-31") - pd.Timestamp("1970-01-01")).days
DATE_COLUMNS = {c.name for table in SCHEMAS.values() for c in table.columns if c.kind == "date"}


class Mapping:
	"""Renames tables and columns; lookups ignore case and surrounding spaces."""

	def __init__(self, tables: dict | None = None, columns: dict | None = None, personal=None):
		self.tables = {_key(k): v for k, v in (tables or {}).items()}
		self.columns = {
			_key(table): {_key(k): v for k, v in renames.items()}
			for table, renames in (columns or {}).items()
		}
		self.personal = {_key(p) for p in (personal or [])}

	def table_name(self, name: str) -> str:
		key = _key(name)
		return self.tables.get(key, key.replace(" ", "_"))

	def column_renames(self, table: str, headers: list[str]) -> dict[str, str]:
		"""Target name per header; a target already taken keeps the later header's own name."""
		renames = {**self.columns.get("*", {}), **self.columns.get(_key(table), {})}
		result: dict[str, str] = {}
		taken: set[str] = set()
		for header in headers:
			key = _key(header)
			target = renames.get(key, key.replace(" ", "_"))
			if target in taken:
				target = key.replace(" ", "_")
			while target in taken:
				target += "_"
			taken.add(target)
			result[header] = target
		return result

	def known_columns(self, table: str | None, headers: list) -> int:
		"""How many headers name a column of the table (or of any table) after renaming."""
		from churn_management.analytics.exports.club_input import CLUB_SCHEMAS

		schemas = {**SCHEMAS, **CLUB_SCHEMAS}
		names = (
			{c.name for c in schemas[table].columns}
			if table in schemas
			else {c.name for t in schemas.values() for c in t.columns}
		)
		renames = {**self.columns.get("*", {}), **self.columns.get(_key(table or ""), {})}
		found = 0
		for header in headers:
			if header is None or (isinstance(header, float) and pd.isna(header)):
				continue
			key = _key(header)
			if renames.get(key, key.replace(" ", "_")) in names:
				found += 1
		return found


def _key(name) -> str:
	return " ".join(str(name).replace("\ufeff", "").split()).lower().replace("ё", "е")


def load_mapping(source: str | Path | None) -> Mapping:
	"""Read a mapping file (JSON or CSV), or a bundled one by name."""
	if source is None:
		return Mapping()
	if str(source) in BUNDLED_MAPPINGS:
		data = bundled_mapping(str(source))
		return Mapping(data.get("tables"), data.get("columns"), data.get("personal"))
	path = Path(source)
	if not path.is_file():
		names = ", ".join(BUNDLED_MAPPINGS)
		raise InputError([Problem(str(path), f"mapping file not found (bundled mappings: {names})")])
	if path.suffix.lower() == ".json":
		try:
			data = json.loads(path.read_text(encoding="utf-8-sig"))
		except (json.JSONDecodeError, UnicodeDecodeError) as error:
			raise InputError([Problem(str(path), f"not valid JSON: {error}")])
		if not isinstance(data, dict):
			raise InputError([Problem(str(path), "a mapping must be a JSON object with tables and columns")])
		return Mapping(data.get("tables"), data.get("columns"), data.get("personal"))
	tables: dict[str, str] = {}
	columns: dict[str, dict[str, str]] = {}
	text = decode_file(path)
	for row in csv.DictReader(io.StringIO(text)):
		table, source_name, target = (row.get(k, "") or "" for k in ("table", "source", "target"))
		if _key(table) == "tables":
			tables[source_name] = target
		elif source_name and target:
			columns.setdefault(table or "*", {})[source_name] = target
	return Mapping(tables, columns)


def bundled_mapping(name: str) -> dict:
	"""The raw content of a bundled mapping."""
	text = resources.files("churn_management.analytics.exports").joinpath("mappings", BUNDLED_MAPPINGS[name])
	return json.loads(text.read_text(encoding="utf-8"))


def load_tables(
	path: str | Path, mapping: Mapping | None = None, known_only: bool = True
) -> dict[str, pd.DataFrame]:
	"""Read every known table (or every table at all) from a folder of files or one workbook."""
	mapping = mapping or Mapping()
	path = Path(path)
	if not path.exists():
		raise InputError([Problem(str(path), "no such file or folder")])
	if path.is_file():
		if path.suffix.lower() in EXCEL_SUFFIXES:
			tables = _read_workbook(path, mapping, known_only)
		elif path.suffix.lower() in TABLE_SUFFIXES:
			name = mapping.table_name(path.stem)
			tables = {name: _read_csv(path, mapping, name)}
		else:
			raise InputError([Problem(path.name, "not a CSV or Excel file (.csv, .txt, .xlsx, .xls)")])
		_require_customers(tables, path, known_only, [path.name])
		return tables
	tables: dict[str, pd.DataFrame] = {}
	seen: list[str] = []
	for file in sorted(path.iterdir()):
		if file.suffix.lower() not in TABLE_SUFFIXES or file.name.startswith(("~$", ".")):
			continue
		seen.append(file.name)
		if file.suffix.lower() in EXCEL_SUFFIXES:
			if _is_our_output(file):
				continue
			sheets = _read_workbook(file, mapping, known_only=known_only, stem=file.stem)
			tables.update(sheets)
			continue
		name = mapping.table_name(file.stem)
		if name in SCHEMAS or not known_only:
			tables[name] = _read_csv(file, mapping, name)
	_require_customers(tables, path, known_only, seen)
	return tables


def _require_customers(tables: dict, path: Path, known_only: bool, seen: list[str]) -> None:
	if "customers" in tables or not known_only:
		return
	found = ", ".join(seen) if seen else "no CSV or Excel files"
	hint = "name the file or sheet customers, or give --mapping (for 1C: --mapping 1c-ru)"
	raise InputError([Problem(str(path), f"no customers table found; found: {found}; {hint}")])


def _read_workbook(
	path: Path, mapping: Mapping, known_only: bool = True, stem: str | None = None
) -> dict[str, pd.DataFrame]:
	sheets = _excel_sheets(path)
	tables = {}
	names = {sheet: mapping.table_name(sheet) for sheet in sheets}
	if stem is not None and len(sheets) == 1 and mapping.table_name(stem) in SCHEMAS:
		names = {sheet: mapping.table_name(stem) for sheet in sheets}
	elif stem is not None and len(sheets) == 1 and known_only and names[next(iter(sheets))] not in SCHEMAS:
		return {}
	for sheet, raw in sheets.items():
		name = names[sheet]
		if name not in SCHEMAS and len(sheets) > 1 and known_only:
			continue
		origin = f"{path.name}, sheet '{sheet}'"
		tables[name] = _frame_from_rows(raw, mapping, name, origin)
	if known_only and stem is None and "customers" not in tables:
		found = ", ".join(f"'{s}'" for s in sheets) or "none"
		hint = "name the sheet customers, or give --mapping (for 1C: --mapping 1c-ru)"
		raise InputError([Problem(path.name, f"no customers sheet; sheets found: {found}; {hint}")])
	return tables


def _is_our_output(path: Path) -> bool:
	"""A diagnosis workbook written by this tool (its creator says so)."""
	if path.suffix.lower() not in (".xlsx", ".xlsm"):
		return False
	try:
		from openpyxl import load_workbook

		book = load_workbook(path, read_only=True)
		creator = book.properties.creator
		book.close()
	except Exception:
		return False
	return creator == "churn-analytics"


def _excel_sheets(path: Path) -> dict[str, pd.DataFrame]:
	engine = None
	if path.suffix.lower() == ".xls":
		try:
			import xlrd
		except ImportError:
			raise InputError(
				[
					Problem(
						path.name,
						"old Excel .xls files are not read here; open it in Excel or LibreOffice and "
						"save it as .xlsx (or as CSV)",
					)
				]
			)
		engine = "xlrd"
	try:
		return pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
	except Exception as error:
		raise InputError([Problem(path.name, f"cannot read the workbook: {error}")])


def _frame_from_rows(raw: pd.DataFrame, mapping: Mapping, table: str, origin: str) -> pd.DataFrame:
	"""A sheet read without a header: find the header row, name the columns, drop empty rows."""
	raw = raw.dropna(how="all").dropna(axis=1, how="all")
	if raw.empty:
		return _with_origin(pd.DataFrame(), {}, origin)
	top = [list(raw.iloc[i]) for i in range(min(HEADER_SEARCH_LINES, len(raw)))]
	line = _header_line(top, mapping, table)
	headers = [_header_text(h, j) for j, h in enumerate(raw.iloc[line])]
	rows = raw.index.to_numpy()[line + 1 :] + 1
	frame = raw.iloc[line + 1 :].reset_index(drop=True)
	frame.columns = headers
	frame = frame.loc[:, [not h.startswith("(column ") or frame[h].notna().any() for h in headers]]
	renames = mapping.column_renames(table, list(frame.columns))
	frame = frame.rename(columns=renames)
	frame = _ids_as_text(frame)
	frame = _with_origin(frame, {t: s for s, t in renames.items()}, origin)
	frame.attrs["row_numbers"] = rows
	return frame


def _header_text(value, position: int) -> str:
	if value is None or (isinstance(value, float) and pd.isna(value)):
		return f"(column {position + 1})"
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return str(value).strip()


def _header_line(rows: list[list], mapping: Mapping, table: str) -> int:
	"""The first row naming the most known columns; the first row when none names any."""
	scores = [mapping.known_columns(table, row) for row in rows]
	best = max(scores, default=0)
	return scores.index(best) if best else 0


def _with_origin(frame: pd.DataFrame, headers: dict[str, str], origin: str) -> pd.DataFrame:
	frame.attrs["origin"] = origin
	frame.attrs["headers"] = headers
	return frame


def _ids_as_text(frame: pd.DataFrame) -> pd.DataFrame:
	"""Spreadsheets store numeric ids as numbers: 1001.0 must read back as 1001."""
	for column in ID_COLUMNS:
		if column in frame:
			frame[column] = frame[column].map(_id_text).astype("string")
	return frame


def _id_text(value) -> str | None:
	if value is None or (isinstance(value, float) and pd.isna(value)):
		return None
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return str(value).strip()


def detect_encoding(path: Path) -> str:
	"""UTF-8, UTF-16 or Windows-1251, decided on every byte of the file."""
	with path.open("rb") as handle:
		start = handle.read(4)
		if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
			return "utf-16"
		handle.seek(0)
		decoder = codecs.getincrementaldecoder("utf-8")()
		offset = 0
		line = 1
		non_ascii = False
		while True:
			chunk = handle.read(CHUNK)
			try:
				text = decoder.decode(chunk, final=not chunk)
			except UnicodeDecodeError as error:
				position = offset + error.start
				break
			if not non_ascii and not text.isascii():
				non_ascii = True
			line += text.count("\n")
			offset += len(chunk)
			if not chunk:
				return "utf-8-sig"
	handle_bytes = path.read_bytes()
	before = handle_bytes[:position]
	line = before.count(b"\n") + 1
	byte = handle_bytes[position]
	if not non_ascii and not _has_utf8_sequences(before):
		try:
			handle_bytes.decode("cp1251")
			return "cp1251"
		except UnicodeDecodeError as error:
			position = error.start
			line = handle_bytes[:position].count(b"\n") + 1
			byte = handle_bytes[position]
	raise InputError(
		[
			Problem(
				path.name,
				f"line {line}, byte {position + 1} (0x{byte:02x}): the file is neither UTF-8 nor "
				"Windows-1251 throughout; save it again as UTF-8",
			)
		]
	)


def _has_utf8_sequences(data: bytes) -> bool:
	"""Whether bytes hold multi-byte UTF-8 characters (then a stray byte is damage, not 1251)."""
	try:
		return not data.decode("utf-8").isascii()
	except UnicodeDecodeError:
		return False


def decode_file(path: Path) -> str:
	"""The whole text of a file in the encoding :func:`detect_encoding` decides."""
	return path.read_bytes().decode(detect_encoding(path))


def _first_lines(path: Path, encoding: str, lines: int = HEADER_SEARCH_LINES) -> list[str]:
	with path.open(encoding=encoding, newline="") as handle:
		result = []
		for text in handle:
			result.append(text)
			if len(result) >= lines:
				break
	return result


def _read_csv(path: Path, mapping: Mapping, table: str) -> pd.DataFrame:
	"""Read a CSV file; pyarrow checks every byte of UTF-8 files, the rest are decided first."""
	encoding = _quick_encoding(path)
	try:
		return _read_csv_as(path, mapping, table, encoding)
	except _NotUtf8:
		pass
	try:
		return _read_csv_as(path, mapping, table, detect_encoding(path))
	except _NotUtf8 as error:
		raise InputError([Problem(path.name, f"cannot read the file: {error.__cause__}")])


class _NotUtf8(Exception):
	"""pyarrow found bytes that are not UTF-8: decide the encoding on the whole file."""


def _quick_encoding(path: Path) -> str:
	"""UTF-8 when the first megabyte is (pyarrow then validates the rest), else the full check."""
	with path.open("rb") as handle:
		head = handle.read(1 << 20)
		more = bool(handle.read(1))
	if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
		return "utf-16"
	try:
		codecs.getincrementaldecoder("utf-8")().decode(head, final=not more)
	except UnicodeDecodeError:
		return detect_encoding(path)
	return "utf-8-sig"


def _read_csv_as(path: Path, mapping: Mapping, table: str, encoding: str) -> pd.DataFrame:
	top = _first_lines(path, encoding)
	if not "".join(top).strip():
		raise InputError([Problem(path.name, "the file is empty")])
	delimiter = _delimiter(top)
	rows = list(csv.reader(top, delimiter=delimiter))
	line = _header_line(rows, mapping, table)
	header = [h.strip().replace("\ufeff", "") for h in rows[line]]
	renames = mapping.column_renames(table, header)
	if encoding == "utf-8-sig":
		source = path
	else:
		source = io.BytesIO(path.read_bytes().decode(encoding).encode("utf-8"))
	frame = _read_csv_arrow(source, delimiter, line, header, renames, path.name, table != "customers")
	frame = _with_origin(frame, {t: s for s, t in renames.items()}, path.name)
	frame.attrs["first_row"] = line + 2
	return frame


def _delimiter(lines: list[str]) -> str:
	"""The delimiter that splits the top lines most consistently into the most fields."""
	best, best_score = ",", -1
	for delimiter in DELIMITERS:
		counts = [line.count(delimiter) for line in lines if line.strip()]
		if not counts or not max(counts):
			continue
		score = max(counts) * sum(1 for c in counts if c == max(counts))
		if score > best_score:
			best, best_score = delimiter, score
	return best


def _read_csv_arrow(
	source, delimiter: str, skip: int, header: list[str], renames: dict, name: str, coded_ids: bool = False
):
	"""Read with pyarrow: ids as text, dates parsed natively (ISO or dd.mm.yyyy), Arrow strings kept."""
	import pyarrow as pa
	from pyarrow import csv as pa_csv

	targets = [renames[h] for h in header]
	# ids of invoices and the like repeat: read them dictionary-encoded (each id text once)
	coded = pa.dictionary(pa.int32(), pa.string())
	types = {
		t: coded if coded_ids and t == "customer_id" else pa.string() for t in targets if t in ID_COLUMNS
	}
	try:
		# streamed block by block: the parser's buffers stay small (read_csv holds them all at once)
		reader = pa_csv.open_csv(
			source,
			read_options=pa_csv.ReadOptions(skip_rows=skip + 1, column_names=targets),
			parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
			convert_options=pa_csv.ConvertOptions(
				column_types=types,
				strings_can_be_null=True,
				quoted_strings_can_be_null=True,
			),
		)
		batches = list(reader)
	except (pa.ArrowInvalid, pa.ArrowException) as error:
		message = str(error).splitlines()[0]
		if "UTF8" in message or "UTF-8" in message or "utf8" in message:
			raise _NotUtf8 from error
		if "Expected" in message and "columns" in message:
			message = f"rows do not all have the {len(header)} columns of the header: {message}"
		raise InputError([Problem(name, f"cannot read the file: {message}")])
	if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in reader.schema.types):
		raise _NotUtf8 from ValueError("a column holds bytes that are not UTF-8")
	table = pa.Table.from_batches(batches, schema=reader.schema)
	names, columns = table.column_names, table.columns
	del batches, reader, table  # the list is the only holder: each column is freed once converted
	return _columns_to_pandas(names, columns)


def arrow_to_pandas(table) -> pd.DataFrame:
	"""Arrow table to pandas keeping strings in Arrow memory (no Python objects per cell).

	Dates become datetime64[ns]; placeholder dates (before 1901 or after 2200, such as
	9999-12-31) become empty, and ``attrs["placeholder_dates"]`` marks which cells were.
	"""
	return _columns_to_pandas(table.column_names, table.columns)


def _columns_to_pandas(names: list[str], arrow_columns: list) -> pd.DataFrame:
	"""Convert Arrow columns one by one, taking each out of the list (freed when nobody else holds it)."""
	import pyarrow as pa
	import pyarrow.compute as pc

	columns = {}
	placeholders = {}
	whole_days = []
	arrow_columns.reverse()
	for name in names:
		column = arrow_columns.pop()
		if pa.types.is_timestamp(column.type) and _has_times(column):
			series = _timestamps(column)
		elif pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
			whole_days.append(name)
			column = column.cast(pa.date32()) if pa.types.is_timestamp(column.type) else column
			low, high = pa.scalar(FIRST_DAY, pa.date32()), pa.scalar(LAST_DAY, pa.date32())
			bounds = pc.min_max(column)
			if bounds["min"].is_valid and (
				bounds["min"].as_py() < low.as_py() or bounds["max"].as_py() > high.as_py()
			):
				outside = pc.fill_null(pc.or_(pc.less(column, low), pc.greater(column, high)), False)
				column = pc.if_else(outside, pa.scalar(None, pa.date32()), column)
				placeholders[name] = outside.to_numpy(zero_copy_only=False)
			series = pd.Series(_days_to_datetime(column), copy=False)
		elif pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type):
			series = _categorical(column)
		elif pa.types.is_null(column.type):
			series = pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.string())), copy=False)
		elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
			series = pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.string())), copy=False)
		else:
			series = pd.Series(column.to_pandas(), copy=False)
		columns[name] = series
		del column
		pa.default_memory_pool().release_unused()
	frame = pd.DataFrame(columns, copy=False)
	frame.attrs["whole_day_dates"] = whole_days
	if placeholders:
		frame.attrs["placeholder_dates"] = placeholders
	return frame


def _has_times(column) -> bool:
	"""Whether a timestamp column holds a time of day (check-ins do; dates written as dates do not)."""
	import pyarrow as pa
	import pyarrow.compute as pc

	if not len(column) or column.null_count == len(column):
		return False
	ticks = column.cast(pa.timestamp("s")).cast(pa.int64())
	whole = pc.multiply(pc.divide(ticks, 86_400), 86_400)
	return bool(pc.any(pc.not_equal(whole, ticks)).as_py())


def _timestamps(column) -> pd.Series:
	"""Date and time to the second; placeholder years (before 1901, after 2200) become empty."""
	import pyarrow as pa
	import pyarrow.compute as pc

	seconds = column.cast(pa.timestamp("s"))
	years = pc.year(seconds)
	outside = pc.fill_null(pc.or_(pc.less(years, 1901), pc.greater(years, 2200)), False)
	seconds = pc.if_else(outside, pa.scalar(None, seconds.type), seconds)
	return pd.Series(seconds.to_pandas(), copy=False).astype("datetime64[ns]")


def _categorical(column) -> pd.Series:
	"""A dictionary-encoded Arrow text column as a pandas Categorical with Arrow-backed categories."""
	import numpy as np
	import pyarrow as pa
	import pyarrow.compute as pc

	column = column.unify_dictionaries()
	dictionary = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
	if dictionary.null_count:
		return pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.string())), copy=False)
	# chunk by chunk into one array: no second column-long Arrow copy of the indices
	codes = np.concatenate(
		[
			(pc.fill_null(c.indices, -1) if c.indices.null_count else c.indices).to_numpy(
				zero_copy_only=False
			)
			for c in column.chunks
		]
		or [np.array([], dtype=np.int32)]
	).astype(np.int32, copy=False)
	del column
	categories = pd.Index(pd.arrays.ArrowStringArray(dictionary))
	# a unified Arrow dictionary holds each text once, so pandas' own (hashing) checks are skipped:
	# from_codes would hash the million categories again even with validate=False
	dtype = pd.CategoricalDtype._from_fastpath(categories, ordered=False)
	return pd.Series(pd.Categorical._simple_new(codes, dtype), copy=False)


def _days_to_datetime(column):
	"""An Arrow date32 column as datetime64[ns] values, nulls as NaT (Arrow converts straight into one array)."""
	return column.to_pandas(date_as_object=False, coerce_temporal_nanoseconds=True).to_numpy()


def _types_mapper(arrow_type):
	import pyarrow as pa

	if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
		return pd.StringDtype("pyarrow")
	return None
