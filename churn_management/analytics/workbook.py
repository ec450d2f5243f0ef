"""The diagnosis as an Excel workbook: a summary sheet and one sheet per analysis, with native charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from churn_management.analytics.diagnosis import Diagnosis
from churn_management.analytics.files import replacing

PERCENT = "0.0%"
MONEY = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F7")
AT_RISK_ROWS = 5000
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def write_workbook(result: Diagnosis, path: str | Path) -> Path:
	"""Write the workbook whole, or leave nothing behind."""
	book = Workbook()
	_summary(book.active, result)
	_monthly(book.create_sheet("Churn by month"), result)
	_seasonality(book.create_sheet("Seasonality"), result)
	_reasons(book.create_sheet("Reasons"), result)
	_groups(book.create_sheet("Reason groups"), result)
	_cohorts(book.create_sheet("Cohorts"), result)
	_lifetime(book.create_sheet("Lifetime"), result)
	_drivers(book.create_sheet("What lifetime depends on"), result)
	_at_risk(book.create_sheet("At risk"), result)
	path = Path(path)
	with replacing(path) as temporary:
		book.save(temporary)
	return path


def _table(
	sheet: Worksheet, frame: pd.DataFrame, row: int = 1, col: int = 1, formats: dict | None = None
) -> None:
	"""Write a frame with a styled header; returns nothing, the frame occupies len+1 rows."""
	formats = formats or {}
	for j, name in enumerate(frame.columns):
		cell = sheet.cell(row=row, column=col + j, value=str(name))
		cell.font = Font(bold=True)
		cell.fill = HEADER_FILL
		cell.alignment = Alignment(wrap_text=True, vertical="top")
	for i, values in enumerate(frame.itertuples(index=False), start=1):
		for j, value in enumerate(values):
			cell = sheet.cell(row=row + i, column=col + j, value=_cell_value(value))
			fmt = formats.get(frame.columns[j])
			if fmt:
				cell.number_format = fmt
	for j, name in enumerate(frame.columns):
		width = max([len(str(name))] + [len(str(v)) for v in frame.iloc[:200, j].tolist()]) + 2
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


def _summary(sheet: Worksheet, result: Diagnosis) -> None:
	sheet.title = "Summary"
	data = result.to_dict()
	overall = data["segments"].get("(all)", {}).get("(all)", {})
	monthly = result.monthly.dropna(subset=["rate"]).tail(12)
	rows = [
		("Churn self-diagnosis as of", result.as_of.date(), None),
		("Customers (started by then)", data["customers"], None),
		("Not churned", data["active"], None),
		("of which overdue", data["states"]["overdue"], None),
		("of which pre-churn", data["states"]["pre_churn"], None),
		("Churned", data["churned"], None),
		("Voluntary churn", data["churn_kinds"].get("voluntary", 0), None),
		("Involuntary churn (non-payment)", data["churn_kinds"].get("involuntary", 0), None),
		("Secondary churn (after a win-back)", data["churn_orders"].get("secondary", 0), None),
		(
			"Average monthly churn rate, last 12 months",
			monthly["rate"].mean() if len(monthly) else None,
			PERCENT,
		),
		(
			"Average monthly MRR churn, last 12 months",
			monthly["mrr_rate"].mean() if len(monthly) else None,
			PERCENT,
		),
		("Managed share of classified churn", data["managed_share"], PERCENT),
		("Managed churn above target (customers)", data["managed"]["potential_customers"], "0"),
		("Monthly revenue in that excess", data["managed"]["potential_mrr"], MONEY),
		("Median lifetime, months", overall.get("median_lifetime_months"), "0.0"),
		("Still with us after 12 months", overall.get("survival_12m"), PERCENT),
		("Still with us after 24 months", overall.get("survival_24m"), PERCENT),
		(
			"Thresholds",
			f"churn after {result.thresholds.churn_after_months} months unpaid; "
			f"pre-churn from {result.thresholds.pre_churn_days} days overdue",
			None,
		),
	]
	sheet["A1"] = "Churn diagnosis"
	sheet["A1"].font = Font(bold=True, size=16)
	for i, (label, value, fmt) in enumerate(rows, start=3):
		sheet.cell(row=i, column=1, value=label).font = Font(bold=True)
		cell = sheet.cell(row=i, column=2, value=_cell_value(value))
		if fmt:
			cell.number_format = fmt
	end = 3 + len(rows)
	sheet.cell(
		row=end + 1,
		column=1,
		value="Target of the methodology: return 10-20 % of churned customers every month.",
	)
	for i, warning in enumerate(data["warnings"], start=end + 3):
		sheet.cell(row=i, column=1, value=f"Note: {warning}")
	sheet.column_dimensions["A"].width = 46
	sheet.column_dimensions["B"].width = 22

	states = pd.DataFrame(
		{
			"state": ["Active", "Overdue", "Pre-churn"],
			"customers": [data["states"]["active"], data["states"]["overdue"], data["states"]["pre_churn"]],
		}
	)
	_table(sheet, states, row=3, col=5)
	sheet.freeze_panes = None
	pie = PieChart()
	pie.title = "Customers not churned, by state"
	pie.add_data(Reference(sheet, min_col=6, min_row=3, max_row=6), titles_from_data=True)
	pie.set_categories(Reference(sheet, min_col=5, min_row=4, max_row=6))
	sheet.add_chart(pie, "E9")


def _monthly(sheet: Worksheet, result: Diagnosis) -> None:
	frame = result.monthly.assign(month=result.monthly["month"].dt.strftime("%Y-%m"))
	_table(
		sheet, frame, formats={"rate": PERCENT, "mrr_rate": PERCENT, "start_mrr": MONEY, "lost_mrr": MONEY}
	)
	if frame.empty:
		return
	chart = LineChart()
	chart.title = "Monthly churn rate and revenue churn"
	chart.y_axis.number_format = "0%"
	chart.y_axis.title = "share"
	last = len(frame) + 1
	chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=last), titles_from_data=True)
	chart.add_data(Reference(sheet, min_col=7, min_row=1, max_row=last), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
	chart.width, chart.height = 26, 11
	sheet.add_chart(chart, "I2")


def _seasonality(sheet: Worksheet, result: Diagnosis) -> None:
	frame = result.seasonality.assign(month=[MONTH_NAMES[m - 1] for m in result.seasonality["month"]])
	_table(sheet, frame, formats={"mean_rate": PERCENT, "index": "0.00"})
	chart = BarChart()
	chart.title = "Seasonal index of churn (1.0 = an average month)"
	chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=13), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=13))
	chart.width, chart.height = 20, 10
	sheet.add_chart(chart, "G2")


def _reasons(sheet: Worksheet, result: Diagnosis) -> None:
	frame = result.reasons
	_table(sheet, frame, formats={"share": PERCENT, "target_share": PERCENT, "lost_mrr": MONEY})
	if frame.empty:
		return
	top = min(len(frame), 15) + 1
	_share_chart(sheet, "Share of churn by reason against its target", (5, 6), 2, top, "K2", (24, 14))


def _groups(sheet: Worksheet, result: Diagnosis) -> None:
	frame = result.groups
	_table(sheet, frame, formats={"share": PERCENT, "target_share": PERCENT, "lost_mrr": MONEY})
	if frame.empty:
		return
	last = len(frame) + 1
	_share_chart(sheet, "Share of churn by reason group against its target", (3, 4), 1, last, "I2", (22, 12))


def _share_chart(
	sheet: Worksheet, title: str, columns: tuple, label_col: int, last_row: int, anchor: str, size: tuple
) -> None:
	"""Horizontal bars of each row's share of churn beside its target share."""
	chart = BarChart()
	chart.type = "bar"
	chart.title = title
	chart.x_axis.number_format = "0%"
	values = Reference(sheet, min_col=columns[0], max_col=columns[1], min_row=1, max_row=last_row)
	chart.add_data(values, titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=last_row))
	chart.width, chart.height = size
	sheet.add_chart(chart, anchor)


def _cohorts(sheet: Worksheet, result: Diagnosis) -> None:
	matrix = result.cohorts.reset_index()
	matrix["cohort"] = matrix["cohort"].dt.strftime("%Y-%m")
	matrix.columns = ["cohort", "customers", *[f"month {k}" for k in result.cohorts.columns[1:]]]
	_table(sheet, matrix, formats={c: "0%" for c in matrix.columns[2:]})
	if matrix.empty:
		return
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


def _lifetime(sheet: Worksheet, result: Diagnosis) -> None:
	_table(
		sheet,
		result.segments,
		formats={
			"churn_share": PERCENT,
			"survival_12m": PERCENT,
			"survival_24m": PERCENT,
			"median_lifetime_months": "0.0",
		},
	)
	row = len(result.segments) + 4
	for name, curves in result.curves.items():
		sheet.cell(
			row=row, column=1, value=f"Survival by {name}" if name != "(all)" else "Survival, all customers"
		).font = Font(bold=True)
		table = curves.reset_index()
		_table(sheet, table, row=row + 1, formats={c: PERCENT for c in table.columns[1:]})
		chart = LineChart()
		chart.title = "Share of customers still with us" + ("" if name == "(all)" else f", by {name}")
		chart.y_axis.number_format = "0%"
		chart.x_axis.title = "months since start"
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


def _drivers(sheet: Worksheet, result: Diagnosis) -> None:
	frame = result.drivers
	if frame.empty:
		sheet["A1"] = "Not enough churn or no segment columns to model what lifetime depends on."
		return
	_table(
		sheet,
		frame,
		formats={"hazard_ratio": "0.00", "ci_low": "0.00", "ci_high": "0.00", "p_value": "0.000"},
	)
	chart = BarChart()
	chart.type = "bar"
	chart.title = "Hazard ratio against the most common value (above 1 = leaves faster)"
	chart.add_data(Reference(sheet, min_col=4, min_row=1, max_row=len(frame) + 1), titles_from_data=True)
	chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=len(frame) + 1))
	chart.width, chart.height = 22, 12
	sheet.add_chart(chart, "K2")


def _at_risk(sheet: Worksheet, result: Diagnosis) -> None:
	states = result.states
	risky = states[states["state"].isin(["overdue", "pre_churn"])]
	risky = risky.sort_values(["state", "outstanding"], ascending=[False, False]).head(AT_RISK_ROWS)
	columns = ["customer_id", "state", "days_overdue", "outstanding", "monthly_fee", "lifetime_months"]
	_table(
		sheet, risky[columns], formats={"outstanding": MONEY, "monthly_fee": MONEY, "lifetime_months": "0.0"}
	)
