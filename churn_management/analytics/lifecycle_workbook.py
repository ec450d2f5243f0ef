"""The lifecycle reports as an Excel workbook: segmentation (with a chart), statistics, goals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from churn_management.analytics.files import replacing
from churn_management.analytics.lifecycle_reports import LifecycleResult

PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F7")
MEMBER_ROWS = 20_000


def write_lifecycle_workbook(result: LifecycleResult, path: str | Path) -> Path:
	"""Write the workbook whole, or leave nothing behind."""
	book = Workbook()
	sheet = book.active
	sheet.title = "Lifecycle Segmentation"
	end = _table(sheet, result.segmentation, formats={"share": PERCENT})
	_bar_chart(sheet, "Members per stage", len(result.segmentation), anchor="E2")
	sheet.cell(row=end + 2, column=1, value="By club").font = Font(bold=True)
	_table(sheet, result.by_club, row=end + 3, formats={"share": PERCENT})

	stats = book.create_sheet("Lifecycle Statistics")
	row = 1
	for period, flows in result.flows.items():
		stats.cell(row=row, column=1, value=f"{period}: entries and exits").font = Font(bold=True)
		row = _table(stats, _dated(flows), row=row + 1) + 2
		stats.cell(row=row, column=1, value=f"{period}: passage along the standard path").font = Font(
			bold=True
		)
		row = _table(stats, _dated(result.passage[period]), row=row + 1, formats={"share": PERCENT}) + 2
	stats.cell(row=row, column=1, value="Time in stage, days").font = Font(bold=True)
	_table(stats, result.stays, row=row + 1, formats={"mean_days": "0.0"})

	goals = book.create_sheet("Lifecycle Goals")
	percent = dict.fromkeys(("value", "reference", "trend", "target", "gap"), PERCENT)
	end = _table(goals, _dated(result.goals), formats=percent)
	if len(result.departments):
		goals.cell(row=end + 2, column=1, value="Starter services per department").font = Font(bold=True)
		_table(goals, _dated(result.departments), row=end + 3, formats={"share": PERCENT})

	members = book.create_sheet("Members at risk")
	columns = ["member", "club", "stage", "start_date", "end_date", "last_visit", "at_risk_date"]
	at_risk = result.segmented[result.segmented["at_risk"]].sort_values("at_risk_date")
	_table(members, _dated(at_risk[columns].head(MEMBER_ROWS)))
	path = Path(path)
	with replacing(path) as temporary:
		book.save(temporary)
	return path


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
	out = frame.copy()
	for column in out.columns:
		if pd.api.types.is_datetime64_any_dtype(out[column]):
			out[column] = out[column].dt.date
	return out


def _table(sheet: Worksheet, frame: pd.DataFrame, row: int = 1, formats: dict | None = None) -> int:
	"""Write a frame under a styled header; return the last row written."""
	formats = formats or {}
	for j, name in enumerate(frame.columns, start=1):
		cell = sheet.cell(row=row, column=j, value=str(name))
		cell.font = Font(bold=True)
		cell.fill = HEADER_FILL
		sheet.column_dimensions[cell.column_letter].width = max(12, len(str(name)) + 2)
	for i, values in enumerate(frame.itertuples(index=False), start=1):
		for j, value in enumerate(values, start=1):
			cell = sheet.cell(row=row + i, column=j, value=None if _missing(value) else _plain(value))
			fmt = formats.get(frame.columns[j - 1])
			if fmt:
				cell.number_format = fmt
	return row + len(frame)


def _missing(value) -> bool:
	try:
		return value is None or bool(pd.isna(value))
	except (TypeError, ValueError):
		return False


def _plain(value):
	if hasattr(value, "item"):
		return value.item()
	return value


def _bar_chart(sheet: Worksheet, title: str, rows: int, anchor: str) -> None:
	chart = BarChart()
	chart.title = title
	chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
	chart.height, chart.width = 8, 16
	sheet.add_chart(chart, anchor)
