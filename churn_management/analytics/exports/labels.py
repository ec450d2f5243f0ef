"""Words of the diagnosis workbook in English and Russian: sheet names, headers, titles, notes.

Headers are words, never snake_case column names; a column without a label keeps its own name
with underscores turned into spaces. :func:`default_language` picks Russian when the locale is
Russian or the 1C mapping is used.
"""

from __future__ import annotations

import locale
import os
import string

LANGUAGES = ("en", "ru")

HEADERS = {
	"month": ("Month", "Месяц"),
	"start_active": ("Customers at month start", "Клиентов на начало месяца"),
	"churned": ("Churned", "Ушло"),
	"rate": ("Churn rate", "Отток, доля"),
	"start_mrr": ("Monthly revenue at start", "Ежемесячная выручка на начало"),
	"lost_mrr": ("Monthly revenue lost", "Потерянная ежемесячная выручка"),
	"mrr_rate": ("Revenue churn rate", "Отток выручки, доля"),
	"mean_rate": ("Average churn rate", "Средний отток"),
	"years": ("Years seen", "Лет в данных"),
	"index": ("Seasonal index", "Сезонный индекс"),
	"group": ("Reason group", "Группа причин"),
	"reason": ("Reason", "Причина"),
	"managed": ("Managed", "Управляемая"),
	"share": ("Share of churn", "Доля оттока"),
	"target_share": ("Target share", "Целевая доля"),
	"excess": ("Customers above target", "Клиентов сверх цели"),
	"cohort": ("Start month", "Месяц начала"),
	"customers": ("Customers", "Клиентов"),
	"column": ("Segment", "Сегмент"),
	"value": ("Value", "Значение"),
	"churn_share": ("Share churned", "Доля ушедших"),
	"median_lifetime_months": ("Median lifetime, months", "Медиана срока жизни, мес."),
	"survival_12m": ("Still with us after 12 months", "Остались через 12 месяцев"),
	"survival_24m": ("Still with us after 24 months", "Остались через 24 месяца"),
	"baseline": ("Compared with", "По сравнению с"),
	"hazard_ratio": ("Hazard ratio", "Отношение рисков"),
	"ci_low": ("Lower 95 % bound", "Нижняя граница 95 %"),
	"ci_high": ("Upper 95 % bound", "Верхняя граница 95 %"),
	"p_value": ("p-value", "p-значение"),
	"significant": ("Reliable difference", "Надёжное различие"),
	"meaning": ("In words", "Словами"),
	"customer_id": ("Customer", "Клиент"),
	"state": ("State", "Состояние"),
	"days_overdue": ("Days overdue", "Дней просрочки"),
	"outstanding": ("Outstanding", "Задолженность"),
	"monthly_fee": ("Monthly fee", "Абонентская плата"),
	"lifetime_months": ("Lifetime, months", "Срок жизни, мес."),
	"table": ("Table", "Таблица"),
	"issue": ("Issue", "Что не так"),
	"action": ("What was done", "Что сделано"),
	"rows": ("Rows", "Строк"),
	"example": ("Example", "Пример"),
	"customer_type": ("Customer type", "Тип клиента"),
	"territory": ("Territory", "Территория"),
	"tariff": ("Tariff", "Тариф"),
	"channel": ("Channel", "Канал"),
	"contract_type": ("Contract type", "Тип договора"),
	"label": ("", ""),
}

TEXT = {
	"Summary": "Сводка",
	"Churn by month": "Отток по месяцам",
	"Seasonality": "Сезонность",
	"Reasons": "Причины",
	"Reason groups": "Группы причин",
	"Cohorts": "Когорты",
	"Lifetime": "Срок жизни",
	"What lifetime depends on": "От чего зависит срок жизни",
	"At risk": "Под угрозой",
	"Data quality": "Качество данных",
	"Churn diagnosis": "Диагностика оттока",
	"Column": "Столбец",
	"row {rest}": "строка {rest}",
	"Churn self-diagnosis as of": "Самодиагностика оттока на дату",
	"Period for churn rate and reasons": "Период для оттока и причин",
	"Customers (started by then)": "Клиентов (начавших к этой дате)",
	"Not churned": "Не ушли",
	"of which overdue": "из них с просрочкой",
	"of which pre-churn": "из них в предоттоке",
	"Churned": "Ушли",
	"Voluntary churn": "Добровольный отток",
	"Involuntary churn (non-payment)": "Вынужденный отток (неоплата)",
	"Secondary churn (after a win-back)": "Вторичный отток (после возврата)",
	"Average monthly churn rate in the period": "Средний месячный отток за период",
	"Average monthly revenue churn in the period": "Средний месячный отток выручки за период",
	"Managed share of classified churn": "Доля управляемого оттока среди классифицированного",
	"Managed churn above target (customers)": "Управляемый отток сверх цели (клиентов)",
	"Monthly revenue in that excess": "Ежемесячная выручка этого превышения",
	"Median lifetime, months": "Медиана срока жизни, мес.",
	"Still with us after 12 months": "Остались через 12 месяцев",
	"Still with us after 24 months": "Остались через 24 месяца",
	"Thresholds": "Пороги",
	"churn after {months} months unpaid; pre-churn from {days} days overdue": (
		"отток после {months} мес. неоплаты; предотток с {days} дней просрочки"
	),
	"Target of the methodology: return 10-20 % of churned customers every month.": (
		"Цель методики: возвращать 10-20 % ушедших клиентов каждый месяц."
	),
	"Note: {text}": "Примечание: {text}",
	"{rows:,} rows were dropped or changed while loading: see the sheet Data quality.": (
		"{rows:,} строк удалено или изменено при загрузке: см. лист «Качество данных»."
	),
	"Customers not churned, by state": "Неушедшие клиенты по состояниям",
	"Monthly churn rate and revenue churn": "Месячный отток клиентов и выручки",
	"share": "доля",
	"month": "месяц",
	"Seasonal index of churn (1.0 = an average month)": "Сезонный индекс оттока (1,0 = средний месяц)",
	"seasonal index": "сезонный индекс",
	"Share of churn by reason against its target": "Доля оттока по причинам и целевая доля",
	"Share of churn by reason group against its target": "Доля оттока по группам причин и целевая доля",
	"Survival, all customers": "Доживаемость, все клиенты",
	"Survival by {name}": "Доживаемость по признаку «{name}»",
	"Share of customers still with us": "Доля оставшихся клиентов",
	"Share of customers still with us, by {name}": "Доля оставшихся клиентов по признаку «{name}»",
	"months since start": "месяцев с начала",
	"Hazard ratio against the most common value (above 1 = leaves faster)": (
		"Отношение рисков к самому частому значению (больше 1 = уходят быстрее)"
	),
	"segment value": "значение сегмента",
	"Churn rate and reason shares cover {start} - {end}.": (
		"Отток и доли причин рассчитаны за период {start} - {end}."
	),
	"Nothing to show: no customer churned in the period.": "Нечего показать: за период никто не ушёл.",
	"Nothing to show: no complete month before the as-of date.": (
		"Нечего показать: до даты диагностики нет ни одного полного месяца."
	),
	"Nothing to show: too few customers in every month to compare the months.": (
		"Нечего показать: слишком мало клиентов в каждом месяце, чтобы сравнивать месяцы."
	),
	"Nothing to show: no customers started by the as-of date.": "Нечего показать: к дате никто не начал.",
	"Nothing to show: not enough churn or no segment columns to model what lifetime depends on.": (
		"Нечего показать: слишком мало оттока или нет столбцов сегментов для модели срока жизни."
	),
	"Nothing to show: nobody is overdue or in pre-churn.": "Нечего показать: нет клиентов с просрочкой или в предоттоке.",
	"No rows were dropped or changed while loading.": "При загрузке ни одна строка не удалена и не изменена.",
	"Customers with the most unpaid first; at most {rows:,} rows.": (
		"Сначала клиенты с наибольшим долгом; не более {rows:,} строк."
	),
	"{column}: {count:,} different values; the {top} largest are shown, the rest together as (other).": (
		"{column}: {count:,} разных значений; показаны {top} самых крупных, остальные вместе как (прочие)."
	),
	# the summary printed by the command
	"Churn diagnosis as of {date}": "Диагностика оттока на {date}",
	"  customers {customers:,}: {active:,} with us ({overdue:,} overdue, {pre_churn:,} pre-churn), {churned:,} churned": (
		"  клиентов {customers:,}: с нами {active:,} (с просрочкой {overdue:,}, в предоттоке {pre_churn:,}), "
		"ушли {churned:,}"
	),
	"  average monthly churn, {period}: {rate}": "  средний месячный отток, {period}: {rate}",
	"  managed share of classified churn: {share}; managed churn above target: {excess:,} {excess!p:customer|customers}": (
		"  доля управляемого оттока: {share}; управляемый отток сверх цели: "
		"{excess:,} {excess!p:клиент|клиента|клиентов}"
	),
	"  top reasons: {reasons}": "  главные причины: {reasons}",
	"  median lifetime: {median}; still with us after 12 months: {share}": (
		"  медиана срока жизни: {median}; остались через 12 месяцев: {share}"
	),
	"not reached": "не достигнута",
	"{months:.1f} months": "{months:.1f} мес.",
	# values
	"Active": "Активные",
	"Overdue": "С просрочкой",
	"Pre-churn": "Предотток",
	"active": "активный",
	"overdue": "с просрочкой",
	"pre_churn": "предотток",
	"churned": "ушёл",
	"Not recorded": "Не указана",
	"Non-payment": "Неоплата",
	"Unclassified": "Не классифицирована",
	"(all)": "(все)",
	"(other)": "(прочие)",
	"(blank)": "(пусто)",
	"yes": "да",
	"no": "нет",
	# data quality
	"cannot read the date": "дата не читается",
	"cannot read the number": "число не читается",
	"cannot read yes/no from": "не читается да/нет",
	"placeholder date (such as 01.01.0001 or 9999-12-31)": "дата-заглушка (например, 01.01.0001 или 9999-12-31)",
	"missing value": "значение не заполнено",
	"negative value": "отрицательное значение",
	"duplicate customer_id": "повторяющийся код клиента",
	"duplicate reason": "повторяющаяся причина",
	"end date before the start date": "дата окончания раньше даты начала",
	"start date after the as-of date": "дата начала позже даты диагностики",
	"payment of a customer not in customers": "платёж клиента, которого нет среди клиентов",
	"customer not in customers": "клиента нет среди клиентов",
	"unknown outcome": "неизвестный результат",
	"row dropped": "строка удалена",
	"later row dropped": "повторная строка удалена",
	"value left empty": "значение оставлено пустым",
	"read as no date": "прочитано как «нет даты»",
	"read as Terminated": "прочитано как «Расторгнут»",
	# what the command prints
	"warning:": "предупреждение:",
	"error:": "ошибка:",
	"interrupted; nothing half-written was left behind": "прервано; недописанных файлов не осталось",
	"{rows:,} {rows!p:row was|rows were} dropped or changed while loading ({kinds} {kinds!p:kind|kinds}); "
	"see the sheet Data quality": (
		"при загрузке {rows:,} {rows!p:строка удалена или изменена|строки удалены или изменены|"
		"строк удалено или изменено} ({kinds} {kinds!p:вид|вида|видов}); см. лист «Качество данных»"
	),
	# progress of the commands
	"Reading {path}": "Чтение {path}",
	"Checking the data": "Проверка данных",
	"Writing {path}": "Запись {path}",
	"Making a sample {vertical} base of {customers:,} customers": (
		"Создание учебной базы «{vertical}» на {customers:,} {customers!p:клиента|клиентов|клиентов}"
	),
	"Classifying customers": "Классификация клиентов",
	"Computing monthly churn": "Расчёт месячного оттока",
	"Breaking churn down by reason": "Разбивка оттока по причинам",
	"Building the cohort matrix": "Построение когорт",
	"Estimating lifetimes per segment": "Оценка срока жизни по сегментам",
	"Fitting the lifetime model": "Построение модели срока жизни",
	"Segmenting the members": "Сегментация участников",
	"Replaying {weeks} weeks of stages": "Воспроизведение этапов за {weeks} {weeks!p:неделю|недели|недель}",
	"Counting the goals": "Подсчёт целей",
	"Making the customers": "Создание клиентов",
	"Simulating churn": "Моделирование оттока",
	"Making the invoices": "Создание счетов",
	"Making the terminations": "Создание расторжений",
	"Making the club cards and visits": "Создание клубных карт и визитов",
	"Open {workbook} for the full diagnosis; the sample data is in {data}.": (
		"Полная диагностика — в {workbook}; учебные данные — в {data}."
	),
	"* fewer than {count} customers at the month start: their rate swings by chance; "
	"the chart's scale follows the other months.": (
		"* меньше {count} клиентов на начало месяца: их отток случайно скачет; "
		"масштаб графика задают остальные месяцы."
	),
	# club data quality
	"duplicate membership": "повторяющийся номер карты",
}

MONTHS = {
	"en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
	"ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}


class Labels:
	"""The words of one language."""

	def __init__(self, language: str = "en"):
		if language not in LANGUAGES:
			raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
		self.language = language
		self.months = MONTHS[language]

	def __call__(self, phrase: str, **values) -> str:
		"""A phrase in this language, with its placeholders filled."""
		if self.language == "ru":
			phrase = TEXT.get(phrase, phrase)
		return WordsFormatter(self.language).format(phrase, **values) if values else phrase

	def header(self, column) -> str:
		"""A column header in words."""
		name = str(column)
		if name in HEADERS:
			return HEADERS[name][0 if self.language == "en" else 1]
		if name.startswith("month ") and name[6:].isdigit():
			return f"{'Month' if self.language == 'en' else 'Месяц'} {name[6:]}"
		return name.replace("_", " ").strip().capitalize() if "_" in name else name

	def value(self, value):
		"""A cell value in this language (known words only; data stays as given)."""
		if isinstance(value, bool):
			return self("yes" if value else "no")
		if isinstance(value, str) and self.language == "ru":
			return TEXT.get(value, value)
		return value


def default_language(mapping: str | None = None) -> str:
	"""Russian for a bundled Russian mapping (1c-ru, club-ru) or a Russian locale, English otherwise."""
	if mapping and str(mapping).lower() in ("1c-ru", "club-ru"):
		return "ru"
	for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
		value = os.environ.get(variable)
		if value:
			return "ru" if value.lower().startswith("ru") else "en"
	code = (locale.getlocale()[0] or "").lower()
	return "ru" if code.startswith("ru") else "en"


class _Count:
	"""A number waiting for the noun form that agrees with it (the ``!p`` conversion)."""

	def __init__(self, value):
		self.value = value


class WordsFormatter(string.Formatter):
	"""str.format in a language: Russian numbers as 5 000 and 4,2; ``{n!p:row|rows}`` agrees a noun.

	A counted noun lists its forms after ``!p:``: English one|many, Russian one|few|many
	(клиент|клиента|клиентов), so 1 row, 2 rows; 1 клиент, 3 клиента, 153 клиента, 5 клиентов.
	"""

	def __init__(self, language: str = "en"):
		self.language = language

	def convert_field(self, value, conversion):
		if conversion == "p":
			return _Count(value)
		return super().convert_field(value, conversion)

	def format_field(self, value, format_spec: str) -> str:
		if isinstance(value, _Count):
			forms = format_spec.split("|")
			return forms[min(plural_form(value.value, self.language), len(forms) - 1)]
		text = super().format_field(value, format_spec)
		if self.language == "ru" and isinstance(value, int | float) and not isinstance(value, bool):
			return russian_number(text)
		return text


def russian_number(text: str) -> str:
	"""A number printed the English way (5,000.5) in the Russian way (5 000,5)."""
	return text.replace(",", " ").replace(".", ",")


def plural_form(count, language: str = "en") -> int:
	"""Which form of a counted noun: English 0 one, 1 many; Russian 0 one, 1 few, 2 many."""
	if isinstance(count, float) and not count.is_integer():
		return 1
	n = abs(int(count))
	if language != "ru":
		return 0 if n == 1 else 1
	if n % 10 == 1 and n % 100 != 11:
		return 0
	if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
		return 1
	return 2


def percent_text(value, language: str = "en", digits: int = 1) -> str:
	"""A share as 4.2 % (English) or 4,2 % (Russian); n/a (н/д) when there is none."""
	if value is None:
		return "n/a" if language == "en" else "н/д"
	text = f"{100 * value:.{digits}f} %"
	return russian_number(text) if language == "ru" else text
