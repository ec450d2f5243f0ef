"""The lifecycle reports as an Excel workbook in English or Russian: segmentation, statistics, goals.

Headers, stage and goal names are words in the chosen language; each analysis has a chart with
visible, titled axes (members by stage, stage flow, goals against targets); every sheet prints one
page wide; the Data quality sheet lists the rows dropped or emptied while loading.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from churn_management.analytics.exports.files import replacing
from churn_management.analytics.exports.labels import Labels, WordsFormatter
from churn_management.analytics.exports.workbook import CREATOR, PERCENT, _axes, _note, _printable, _table
from churn_management.analytics.lifecycle.reports import LifecycleResult

MEMBER_ROWS = 20_000

# header -> (English, Russian)
HEADERS = {
	"stage": ("Stage", "Этап"),
	"members": ("Members", "Участников"),
	"share": ("Share", "Доля"),
	"club": ("Club", "Клуб"),
	"period": ("Period", "Период"),
	"entries": ("Entered", "Вошли"),
	"exits": ("Left", "Вышли"),
	"net": ("Net change", "Изменение"),
	"moves": ("Moves", "Переходов"),
	"on_path": ("Along the standard path", "По стандартному пути"),
	"stays": ("Stays", "Пребываний"),
	"mean_days": ("Mean days", "Дней в среднем"),
	"median_days": ("Median days", "Медиана дней"),
	"in_stage_now": ("In the stage now", "Сейчас на этапе"),
	"goal": ("Goal", "Цель"),
	"numerator": ("Achieved", "Достигнуто"),
	"denominator": ("Out of", "Из"),
	"value": ("Value", "Значение"),
	"reference": ("Same period a year ago", "Тот же период год назад"),
	"trend": ("Trend", "Тренд"),
	"target": ("Target", "Цель, доля"),
	"gap": ("Gap to target", "Отставание от цели"),
	"reached": ("Reached", "Достигнута"),
	"department": ("Department", "Отдел"),
	"delivered": ("Delivered", "Оказано"),
	"due": ("Due", "Положено"),
	"member": ("Member", "Участник"),
	"start_date": ("Card starts", "Начало карты"),
	"end_date": ("Card ends", "Окончание карты"),
	"last_visit": ("Last visit", "Последний визит"),
	"at_risk_date": ("At risk since", "Под угрозой с"),
}

# English words of the workbook and the command's summary, and their Russian
TEXT = {
	"Lifecycle Segmentation": "Сегментация",
	"Lifecycle Statistics": "Статистика этапов",
	"Lifecycle Goals": "Цели",
	"Members at risk": "Под угрозой",
	"Data quality": "Качество данных",
	"Members by stage": "Участники по этапам",
	"By club": "По клубам",
	"{period}: entries and exits": "{period}: входы и выходы",
	"{period}: passage along the standard path": "{period}: прохождение стандартного пути",
	"Time in stage, days": "Время на этапе, дней",
	"Starter services per department": "Стартовые услуги по отделам",
	"Stage flow in the last month": "Переходы между этапами за последний месяц",
	"Goals against targets, last month": "Цели и их значения за последний месяц",
	"members": "участников",
	"Weekly": "По неделям",
	"Monthly": "По месяцам",
	"Quarterly": "По кварталам",
	"No rows were dropped or changed while loading.": "При загрузке ни одна строка не удалена и не изменена.",
	"Column": "Столбец",
	"row {rest}": "строка {rest}",
	"Members past their at-risk date, the longest at risk first; at most {rows:,} rows.": (
		"Участники после даты угрозы, дольше всех под угрозой сначала; не более {rows:,} строк."
	),
	"Lifecycle segmentation as of {date}: {members:,} {members!p:member|members}, {at_risk:,} past "
	"their at-risk date ({days} {days!p:day|days} without a visit)": (
		"Сегментация участников на {date}: {members:,} {members!p:участник|участника|участников}, "
		"после даты угрозы — {at_risk:,} ({days} {days!p:день|дня|дней} без визитов)"
	),
	"  left out: {count:,} {count!p:member|members} whose last card ended more than {days} days "
	"before that date": (
		"  не учтены: {count:,} {count!p:участник|участника|участников}, чья последняя карта "
		"закончилась более чем за {days} дней до этой даты"
	),
	# stages of the presets
	"Newcomer": "Новичок",
	"Starter package in progress": "Стартовый пакет в работе",
	"Engaged": "Вовлечён",
	"Renewal window": "Окно продления",
	"Recently renewed": "Недавно продлил",
	"Inactive": "Неактивен",
	"Lapsed": "Ушёл",
	"Reactivated": "Вернулся",
	"Frozen": "Заморожен",
	"Other": "Прочие",
	# goals
	"reactivated_share": "Доля вернувшихся",
	"renewal_share": "Доля продлений",
	"starter_completion_share": "Доля завершивших стартовый пакет",
	"starter_services_delivered_share": "Доля оказанных стартовых услуг",
	"starter_to_pt_conversion": "Переход со старта на персональные тренировки",
}
GOALS_EN = {
	"reactivated_share": "Reactivated share",
	"renewal_share": "Renewal share",
	"starter_completion_share": "Starter package completion share",
	"starter_services_delivered_share": "Starter services delivered share",
	"starter_to_pt_conversion": "Starter to personal training conversion",
}


class LifecycleWords(Labels):
	"""The lifecycle workbook's words: its own headers, stages and goals, then the shared ones."""

	def __call__(self, phrase: str, **values) -> str:
		if self.language == "ru" and phrase in TEXT:
			phrase = TEXT[phrase]
		elif self.language == "en" and phrase in GOALS_EN:
			phrase = GOALS_EN[phrase]
		else:
			return super().__call__(phrase, **values)
		return WordsFormatter(self.language).format(phrase, **values) if values else phrase

	def header(self, column) -> str:
		name = str(column)
		if name in HEADERS:
			return HEADERS[name][0 if self.language == "en" else 1]
		return super().header(column)

	def value(self, value):
		if isinstance(value, str) and (value in TEXT or value in GOALS_EN):
			return self(value)
		return super().value(value)


def write_lifecycle_workbook(
	result: LifecycleResult, path: str | Path, language: str = "en", quality: list | None = None
) -> Path:
	"""Write the workbook whole, or leave nothing behind."""
	path = Path(path)
	with replacing(path) as temporary:
		save_lifecycle_workbook(result, temporary, language, quality)
	return path


def save_lifecycle_workbook(
	result: LifecycleResult, path: str | Path, language: str = "en", quality: list | None = None
) -> None:
	"""Build the workbook and save it to a path as it is (the caller makes the write atomic)."""
	t = LifecycleWords(language)
	book = Workbook()
	_segmentation(book.active, result, t)
	_statistics(book.create_sheet(t("Lifecycle Statistics")), result, t)
	_goals(book.create_sheet(t("Lifecycle Goals")), result, t)
	_members(book.create_sheet(t("Members at risk")), result, t)
	_quality(book.create_sheet(t("Data quality")), quality or [], t)
	for sheet in book.worksheets:
		_printable(sheet)
	book.properties.creator = CREATOR
	book.save(path)


def _segmentation(sheet: Worksheet, result: LifecycleResult, t: LifecycleWords) -> None:
	sheet.title = t("Lifecycle Segmentation")
	frame = result.segmentation
	_table(sheet, frame, t, formats={"share": PERCENT})
	rows = len(frame)
	if rows:
		chart = BarChart()
		chart.type = "bar"
		chart.title = t("Members by stage")
		chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True)
		chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
		_axes(chart, t.header("stage"), t.header("members"))
		chart.width, chart.height = 18, 9
		sheet.add_chart(chart, "E2")
	title = sheet.cell(row=rows + 3, column=1, value=t("By club"))
	title.font = Font(bold=True)
	_table(sheet, result.by_club, t, row=rows + 4, formats={"share": PERCENT})
	sheet.freeze_panes = "A2"


def _statistics(sheet: Worksheet, result: LifecycleResult, t: LifecycleWords) -> None:
	row = 1
	for period, flows in result.flows.items():
		sheet.cell(row=row, column=1, value=t("{period}: entries and exits", period=t(period))).font = Font(
			bold=True
		)
		_table(sheet, _dated(flows), t, row=row + 1)
		if period == "Monthly" and len(flows):
			_flow_chart(sheet, flows, t, row + 1)
		row += len(flows) + 3
		sheet.cell(
			row=row, column=1, value=t("{period}: passage along the standard path", period=t(period))
		).font = Font(bold=True)
		passage = result.passage[period]
		_table(sheet, _dated(passage), t, row=row + 1, formats={"share": PERCENT})
		row += len(passage) + 3
	sheet.cell(row=row, column=1, value=t("Time in stage, days")).font = Font(bold=True)
	_table(sheet, result.stays, t, row=row + 1, formats={"mean_days": "0.0", "median_days": "0.0"})
	sheet.freeze_panes = None


def _flow_chart(sheet: Worksheet, flows: pd.DataFrame, t: LifecycleWords, header_row: int) -> None:
	"""Entries and exits per stage in the latest month: the stage flow at a glance."""
	latest = flows["period"].max()
	positions = [i for i, p in enumerate(flows["period"]) if p == latest]
	first, last = header_row + 1 + positions[0], header_row + 1 + positions[-1]
	chart = BarChart()
	chart.title = t("Stage flow in the last month")
	for column in (3, 4):
		series = Reference(sheet, min_col=column, min_row=first, max_row=last)
		chart.add_data(series, titles_from_data=False)
	chart.set_categories(Reference(sheet, min_col=2, min_row=first, max_row=last))
	chart.series[0].tx = SeriesLabel(v=t.header("entries"))
	chart.series[1].tx = SeriesLabel(v=t.header("exits"))
	_axes(chart, t.header("stage"), t("members"))
	chart.width, chart.height = 20, 10
	sheet.add_chart(chart, "H2")


def _goals(sheet: Worksheet, result: LifecycleResult, t: LifecycleWords) -> None:
	percent = dict.fromkeys(("value", "reference", "trend", "target", "gap"), PERCENT)
	goals = result.goals
	_table(sheet, _dated(goals), t, formats=percent)
	end = len(goals) + 1
	if len(goals):
		latest = goals.sort_values("period").groupby("goal", sort=False).tail(1)
		start = end + 2
		_table(sheet, latest[["goal", "value", "target"]], t, row=start, formats=percent)
		chart = BarChart()
		chart.title = t("Goals against targets, last month")
		chart.add_data(
			Reference(sheet, min_col=2, max_col=3, min_row=start, max_row=start + len(latest)),
			titles_from_data=True,
		)
		chart.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=start + len(latest)))
		_axes(chart, t.header("goal"), t.header("share"), "0%")
		chart.width, chart.height = 20, 10
		sheet.add_chart(chart, "L2")
		end = start + len(latest)
	if len(result.departments):
		sheet.cell(row=end + 2, column=1, value=t("Starter services per department")).font = Font(bold=True)
		_table(sheet, _dated(result.departments), t, row=end + 3, formats={"share": PERCENT})
	sheet.freeze_panes = "A2"


def _members(sheet: Worksheet, result: LifecycleResult, t: LifecycleWords) -> None:
	columns = ["member", "club", "stage", "start_date", "end_date", "last_visit", "at_risk_date"]
	at_risk = result.segmented[result.segmented["at_risk"]].sort_values("at_risk_date")
	_note(
		sheet,
		t(
			"Members past their at-risk date, the longest at risk first; at most {rows:,} rows.",
			rows=MEMBER_ROWS,
		),
	)
	_table(sheet, _dated(at_risk[columns].head(MEMBER_ROWS)), t, row=2)


def _quality(sheet: Worksheet, quality: list, t: LifecycleWords) -> None:
	if not quality:
		_note(sheet, t("No rows were dropped or changed while loading."))
		return
	frame = pd.DataFrame([note.to_dict() for note in quality])
	frame = frame[["table", "column", "issue", "action", "rows", "example"]]
	frame["example"] = [t("row {rest}", rest=e[4:]) if e.startswith("row ") else e for e in frame["example"]]
	headers = [t.header(c) for c in frame.columns]
	headers[1] = t("Column")
	_table(sheet, frame, t, formats={"rows": "#,##0"}, headers=headers)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
	out = frame.copy()
	for column in out.columns:
		if pd.api.types.is_datetime64_any_dtype(out[column]):
			out[column] = out[column].dt.date
	return out
