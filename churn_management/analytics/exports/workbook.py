"""The diagnosis as an Excel workbook: a summary sheet and one sheet per analysis, with native charts.

Every sheet, header, chart title and note is in the chosen language (:mod:`labels`, English or
Russian); headers are words. Every chart shows both axes (``delete`` off), so Excel and
LibreOffice draw them. A section with nothing to show says so instead of an empty table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from churn_management.analytics.churn.diagnosis import Diagnosis
from churn_management.analytics.churn.rates import MIN_ACTIVE_FOR_SEASONALITY
from churn_management.analytics.churn.survival import MAX_VALUES_PER_SEGMENT, hazard_in_words, left_out_text
from churn_management.analytics.exports.files import replacing
from churn_management.analytics.exports.labels import Labels

PERCENT = "0.0%"
MONEY = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F7")
AT_RISK_ROWS = 5000
CREATOR = "churn-analytics"  # marks our own output, which is never read back as input


def write_workbook(result: Diagnosis, path: str | Path, language: str = "en") -> Path:
	"""Write the workbook whole, or leave nothing behind."""
	path = Path(path)
	with replacing(path) as temporary:
		save_workbook(result, temporary, language)
	return path


def save_workbook(result: Diagnosis, path: str | Path, language: str = "en") -> None:
	"""Build the workbook and save it to a path as it is (the caller makes the write atomic)."""
	t = Labels(language)
	book = Workbook()
	_summary(book.active, result, t)
	_monthly(book.create_sheet(t("Churn by month")), result, t)
	_seasonality(book.create_sheet(t("Seasonality")), result, t)
	_reasons(book.create_sheet(t("Reasons")), result, t)
	_groups(book.create_sheet(t("Reason groups")), result, t)
	_cohorts(book.create_sheet(t("Cohorts")), result, t)
	_lifetime(book.create_sheet(t("Lifetime")), result, t)
	_drivers(book.create_sheet(t("What lifetime depends on")), result, t)
	_at_risk(book.create_sheet(t("At risk")), result, t)
	_quality(book.create_sheet(t("Data quality")), result, t)
	for sheet in book.worksheets:
		_printable(sheet)
	book.properties.creator = CREATOR
	book.properties.title = t("Churn diagnosis")
	book.save(path)


def _printable(sheet: Worksheet) -> None:
	"""Print landscape, one page wide, charts included."""
	sheet.page_setup.orientation = "landscape"
	sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
	sheet.sheet_properties.pageSetUpPr.fitToPage = True
	sheet.page_setup.fitToWidth = 1
	sheet.page_setup.fitToHeight = 0


def _table(
	sheet: Worksheet,
	frame: pd.DataFrame,
	t: Labels,
	row: int = 1,
	col: int = 1,
	formats: dict | None = None,
	headers: list[str] | None = None,
) -> None:
	"""Write a frame with a styled header in words; the frame occupies len+1 rows."""
	formats = formats or {}
	headers = headers or [t.header(name) for name in frame.columns]
	for j, name in enumerate(headers):
		cell = sheet.cell(row=row, column=col + j, value=name)
		cell.font = Font(bold=True)
		cell.fill = HEADER_FILL
		cell.alignment = Alignment(wrap_text=True, vertical="top")
	column_formats = [formats.get(name) for name in frame.columns]
	translate = [frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]) for c in frame.columns]
	columns = [
		[_cell_value(t.value(v)) for v in frame.iloc[:, j].tolist()]
		if translate[j]
		else [_cell_value(v) for v in frame.iloc[:, j].tolist()]
		for j in range(frame.shape[1])
	]
	for j, values in enumerate(columns):
		fmt = column_formats[j]
		for i, value in enumerate(values, start=row + 1):
			if value is None:
				continue
			cell = sheet.cell(row=i, column=col + j, value=value)
			if fmt:
				cell.number_format = fmt
	for j, name in enumerate(headers):
		sample = [len(str(v)) for v in columns[j][:200] if v is not None]
		width = max([min(len(name), 24), *sample]) + 2
		letter = get_column_letter(col + j)
		sheet.column_dimensions[letter].width = max(
			sheet.column_dimensions[letter].width or 0, min(width, 60)
		)
	sheet.freeze_panes = sheet.cell(row=row + 1, column=col)


def _cell_value(value):
	if value is None or value is pd.NA or value is pd.NaT:
		return None
	if isinstance(value, float) and value != value:
		return None
	if isinstance(value, pd.Timestamp):
		return value.to_pydatetime().date()
	if hasattr(value, "item"):
		return value.item()
	return value


def _note(sheet: Worksheet, text: str, row: int = 1) -> None:
	sheet.cell(row=row, column=1, value=text).font = Font(italic=True)
	sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 40)


def _axes(chart, x_title: str | None = None, y_title: str | None = None, y_format: str | None = None):
	"""Make both axes visible in Excel and LibreOffice, with titles."""
	for axis in (chart.x_axis, chart.y_axis):
		axis.delete = False
		axis.majorTickMark = "out"
	chart.x_axis.tickLblPos = "low"
	if x_title:
		chart.x_axis.title = x_title
	if y_title:
		chart.y_axis.title = y_title
	if y_format:
		chart.y_axis.number_format = y_format
		chart.y_axis.numFmt.sourceLinked = False
	chart.legend.position = "b"
	return chart


def _column(frame: pd.DataFrame, name: str, offset: int = 1) -> int:
	"""The sheet column number of a frame column written from column ``offset``."""
	return list(frame.columns).index(name) + offset


def _period_text(result: Diagnosis, t: Labels) -> str:
	start, end = result.period
	return t(
		"Churn rate and reason shares cover {start} - {end}.",
		start=start.strftime("%d.%m.%Y"),
		end=end.strftime("%d.%m.%Y"),
	)


def _summary(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	sheet.title = t("Summary")
	data = result.to_dict()
	overall = data["segments"].get("(all)", {}).get("(all)", {})
	start, end = result.period
	rows = [
		(t("Churn self-diagnosis as of"), result.as_of.date(), "DD.MM.YYYY"),
		(
			t("Period for churn rate and reasons"),
			f"{start.strftime('%d.%m.%Y')} - {end.strftime('%d.%m.%Y')}",
			None,
		),
		(t("Customers (started by then)"), data["customers"], None),
		(t("Not churned"), data["active"], None),
		(t("of which overdue"), data["states"]["overdue"], None),
		(t("of which pre-churn"), data["states"]["pre_churn"], None),
		(t("Churned"), data["churned"], None),
		(t("Voluntary churn"), data["churn_kinds"].get("voluntary", 0), None),
		(t("Involuntary churn (non-payment)"), data["churn_kinds"].get("involuntary", 0), None),
		(t("Secondary churn (after a win-back)"), data["churn_orders"].get("secondary", 0), None),
		(t("Average monthly churn rate in the period"), result.period_rate, PERCENT),
		(t("Average monthly revenue churn in the period"), result.period_mrr_rate, PERCENT),
		(t("Managed share of classified churn"), data["managed_share"], PERCENT),
		(t("Managed churn above target (customers)"), data["managed"]["potential_customers"], "0"),
		(t("Monthly revenue in that excess"), data["managed"]["potential_mrr"], MONEY),
		(t("Median lifetime, months"), overall.get("median_lifetime_months"), "0.0"),
		(t("Still with us after 12 months"), overall.get("survival_12m"), PERCENT),
		(t("Still with us after 24 months"), overall.get("survival_24m"), PERCENT),
		(
			t("Thresholds"),
			t(
				"churn after {months} months unpaid; pre-churn from {days} days overdue",
				months=result.thresholds.churn_after_months,
				days=result.thresholds.pre_churn_days,
			),
			None,
		),
	]
	sheet["A1"] = t("Churn diagnosis")
	sheet["A1"].font = Font(bold=True, size=16)
	for i, (label, value, fmt) in enumerate(rows, start=3):
		sheet.cell(row=i, column=1, value=label).font = Font(bold=True)
		cell = sheet.cell(row=i, column=2, value=_cell_value(value))
		if fmt:
			cell.number_format = fmt
	end_row = 3 + len(rows)
	sheet.cell(
		row=end_row + 1,
		column=1,
		value=t("Target of the methodology: return 10-20 % of churned customers every month."),
	)
	notes = []
	if result.quality:
		notes.append(
			t(
				"{rows:,} rows were dropped or changed while loading: see the sheet Data quality.",
				rows=result.rows_affected,
			)
		)
	for column, count in _overflowing_segments(result).items():
		notes.append(
			t(
				"{column}: {count:,} different values; the {top} largest are shown, the rest together as (other).",
				column=t.header(column),
				count=count,
				top=MAX_VALUES_PER_SEGMENT,
			)
		)
	notes.extend(str(w) for w in result.warnings if "different values" not in w.message)
	for i, text in enumerate(notes, start=end_row + 3):
		sheet.cell(row=i, column=1, value=t("Note: {text}", text=text))
	sheet.column_dimensions["A"].width = 60
	sheet.column_dimensions["B"].width = 26

	states = pd.DataFrame(
		{
			"label": [t("Active"), t("Overdue"), t("Pre-churn")],
			"customers": [data["states"]["active"], data["states"]["overdue"], data["states"]["pre_churn"]],
		}
	)
	_table(
		sheet,
		states,
		t,
		row=3,
		col=5,
		headers=[t.header("state"), t.header("customers")],
	)
	sheet.freeze_panes = None
	if states["customers"].sum() == 0:
		return
	pie = PieChart()
	pie.title = t("Customers not churned, by state")
	pie.add_data(Reference(sheet, min_col=6, min_row=3, max_row=6), titles_from_data=True)
	pie.set_categories(Reference(sheet, min_col=5, min_row=4, max_row=6))
	pie.legend.position = "b"
	sheet.add_chart(pie, "E9")


def _overflowing_segments(result: Diagnosis) -> dict[str, int]:
	counts = {}
	for warning in result.warnings:
		if warning.column and "different values" in warning.message:
			counts[warning.column] = int(warning.message.split(" ")[0].replace(",", ""))
	return counts


def _monthly(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	if result.monthly.empty:
		_note(sheet, t("Nothing to show: no complete month before the as-of date."))
		return
	tiny = (result.monthly["start_active"] < MIN_ACTIVE_FOR_SEASONALITY).to_numpy()
	months = result.monthly["month"].dt.strftime("%Y-%m")
	frame = result.monthly.assign(month=months.where(~tiny, months + " *"))
	_table(
		sheet,
		frame,
		t,
		formats={"rate": PERCENT, "mrr_rate": PERCENT, "start_mrr": MONEY, "lost_mrr": MONEY},
	)
	chart = _axes(LineChart(), t("month"), t("share"), "0%")
	chart.title = t("Monthly churn rate and revenue churn")
	last = len(frame) + 1
	for name in ("rate", "mrr_rate"):
		column = _column(frame, name)
		chart.add_data(Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=_column(frame, "month"), min_row=2, max_row=last))
	top = chart_top(result.monthly.loc[~tiny, ["rate", "mrr_rate"]])
	if top is not None and tiny.any():
		chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, top
		_note(
			sheet,
			t(
				"* fewer than {count} customers at the month start: their rate swings by chance; "
				"the chart's scale follows the other months.",
				count=MIN_ACTIVE_FOR_SEASONALITY,
			),
			row=last + 2,
		)
	chart.width, chart.height = 26, 11
	sheet.add_chart(chart, "I2")


def chart_top(rates: pd.DataFrame) -> float | None:
	"""The top of a rate axis: a little above the highest rate of the months that count, in whole %."""
	values = rates.to_numpy(dtype=float)
	values = values[np.isfinite(values)]
	if not len(values) or values.max() <= 0:
		return None
	return float(np.ceil(values.max() * 1.1 * 100) / 100)


def _seasonality(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	seasonality = result.seasonality
	frame = seasonality.assign(month=[t.months[m - 1] for m in seasonality["month"]])
	frame = frame[["month", "mean_rate", "index", "years"]]
	_table(sheet, frame, t, formats={"mean_rate": PERCENT, "index": "0.00"})
	if frame["index"].isna().all():
		_note(sheet, t("Nothing to show: too few customers in every month to compare the months."), row=16)
		return
	chart = _axes(BarChart(), t("month"), t("seasonal index"), "0.0")
	chart.title = t("Seasonal index of churn (1.0 = an average month)")
	chart.add_data(
		Reference(sheet, min_col=_column(frame, "index"), min_row=1, max_row=13), titles_from_data=True
	)
	chart.set_categories(Reference(sheet, min_col=_column(frame, "month"), min_row=2, max_row=13))
	chart.width, chart.height = 20, 10
	sheet.add_chart(chart, "G2")


def _share_table(sheet: Worksheet, frame: pd.DataFrame, result: Diagnosis, t: Labels) -> bool:
	"""The churn shares under the period; False, with a note, when no customer churned in it."""
	period = _period_text(result, t)
	if frame.empty or frame["churned"].sum() == 0:
		_note(sheet, period)
		_note(sheet, t("Nothing to show: no customer churned in the period."), row=2)
		return False
	_table(sheet, frame, t, row=2, formats={"share": PERCENT, "target_share": PERCENT, "lost_mrr": MONEY})
	_note(sheet, period)
	return True


def _reasons(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	frame = result.reasons
	if not _share_table(sheet, frame, result, t):
		return
	top = min(len(frame), 15) + 2
	columns = (_column(frame, "share"), _column(frame, "target_share"))
	chart = _share_chart(
		sheet, t("Share of churn by reason against its target"), columns, _column(frame, "reason"), top, t
	)
	chart.width, chart.height = 24, 14
	sheet.add_chart(chart, "K2")


def _groups(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	frame = result.groups
	if not _share_table(sheet, frame, result, t):
		return
	last = len(frame) + 2
	columns = (_column(frame, "share"), _column(frame, "target_share"))
	chart = _share_chart(
		sheet,
		t("Share of churn by reason group against its target"),
		columns,
		_column(frame, "group"),
		last,
		t,
	)
	chart.width, chart.height = 22, 12
	sheet.add_chart(chart, "J2")


def _share_chart(sheet: Worksheet, title: str, columns: tuple, label_col: int, last_row: int, t: Labels):
	"""Horizontal bars of each row's share of churn beside its target share (header on row 2)."""
	chart = _axes(BarChart(), None, t("share"), "0%")
	chart.type = "bar"
	chart.title = title
	for column in columns:
		chart.add_data(Reference(sheet, min_col=column, min_row=2, max_row=last_row), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=label_col, min_row=3, max_row=last_row))
	return chart


def _cohorts(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	if result.cohorts.empty:
		_note(sheet, t("Nothing to show: no customers started by the as-of date."))
		return
	matrix = result.cohorts.reset_index()
	matrix["cohort"] = matrix["cohort"].dt.strftime("%Y-%m")
	matrix.columns = ["cohort", "customers", *[f"month {k}" for k in result.cohorts.columns[1:]]]
	_table(sheet, matrix, t, formats={c: "0%" for c in matrix.columns[2:]})
	last_col = get_column_letter(len(matrix.columns))
	sheet.conditional_formatting.add(
		f"C2:{last_col}{len(matrix) + 1}",
		ColorScaleRule(
			start_type="num",
			start_value=0,
			start_color="F8696B",
			end_type="num",
			end_value=1,
			end_color="63BE7B",
		),
	)
	sheet.freeze_panes = "C2"


def _lifetime(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	if result.segments.empty or result.segments["customers"].sum() == 0:
		_note(sheet, t("Nothing to show: no customers started by the as-of date."))
		return
	segments = result.segments.assign(
		column=[t.header(c) if c != "(all)" else c for c in result.segments["column"]]
	)
	_table(
		sheet,
		segments,
		t,
		formats={
			"churn_share": PERCENT,
			"survival_12m": PERCENT,
			"survival_24m": PERCENT,
			"median_lifetime_months": "0.0",
		},
	)
	row = len(segments) + 4
	for name, curves in result.curves.items():
		label = (
			t("Survival, all customers") if name == "(all)" else t("Survival by {name}", name=t.header(name))
		)
		sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
		table = curves.reset_index()
		headers = [t.header("month"), *[str(t.value(c)) for c in table.columns[1:]]]
		_table(sheet, table, t, row=row + 1, formats={c: PERCENT for c in table.columns[1:]}, headers=headers)
		chart = _axes(LineChart(), t("months since start"), t("share"), "0%")
		chart.title = (
			t("Share of customers still with us")
			if name == "(all)"
			else t("Share of customers still with us, by {name}", name=t.header(name))
		)
		last = row + 1 + len(table)
		chart.add_data(
			Reference(sheet, min_col=2, max_col=len(table.columns), min_row=row + 1, max_row=last),
			titles_from_data=True,
		)
		chart.set_categories(Reference(sheet, min_col=1, min_row=row + 2, max_row=last))
		chart.width, chart.height = 20, 10
		sheet.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}{row + 1}")
		row = last + 3
	sheet.freeze_panes = "A2"


def _drivers(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	frame = result.drivers
	if frame.empty:
		_note(
			sheet,
			t("Nothing to show: not enough churn or no segment columns to model what lifetime depends on."),
		)
		return
	frame = frame.assign(column=[t.header(c) for c in frame["column"]])
	if t.language != "en":
		frame["meaning"] = [
			hazard_in_words(r.column, r.value, r.baseline, r.hazard_ratio, r.significant, t.language)
			for r in frame.itertuples()
		]
	_table(
		sheet,
		frame,
		t,
		formats={"hazard_ratio": "0.00", "ci_low": "0.00", "ci_high": "0.00", "p_value": "0.000"},
	)
	chart = _axes(BarChart(), t("segment value"), t.header("hazard_ratio"), "0.0")
	chart.type = "bar"
	chart.title = t("Hazard ratio against the most common value (above 1 = leaves faster)")
	last = len(frame) + 1
	chart.add_data(
		Reference(sheet, min_col=_column(frame, "hazard_ratio"), min_row=1, max_row=last),
		titles_from_data=True,
	)
	chart.set_categories(Reference(sheet, min_col=_column(frame, "value"), min_row=2, max_row=last))
	chart.width, chart.height = 22, 12
	sheet.add_chart(chart, "K2")
	for row, (column, value, twin) in enumerate(result.drivers.attrs.get("left_out", []), start=last + 2):
		twin = (t.header(twin[0]), twin[1]) if twin else None
		_note(sheet, left_out_text(t.header(column), value, twin, t.language), row)


def _at_risk(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	states = result.states
	risky = states[states["state"].isin(["overdue", "pre_churn"])]
	if risky.empty:
		_note(sheet, t("Nothing to show: nobody is overdue or in pre-churn."))
		return
	risky = risky.sort_values(["state", "outstanding"], ascending=[False, False]).head(AT_RISK_ROWS)
	columns = ["customer_id", "state", "days_overdue", "outstanding", "monthly_fee", "lifetime_months"]
	_table(
		sheet,
		risky[columns],
		t,
		formats={"outstanding": MONEY, "monthly_fee": MONEY, "lifetime_months": "0.0"},
	)


def _quality(sheet: Worksheet, result: Diagnosis, t: Labels) -> None:
	if not result.quality:
		_note(sheet, t("No rows were dropped or changed while loading."))
		return
	frame = pd.DataFrame([note.to_dict() for note in result.quality])
	frame = frame[["table", "column", "issue", "action", "rows", "example"]]
	frame["example"] = [t("row {rest}", rest=e[4:]) if e.startswith("row ") else e for e in frame["example"]]
	headers = [t.header(c) for c in frame.columns]
	headers[1] = t("Column")
	_table(sheet, frame, t, formats={"rows": "#,##0"}, headers=headers)
