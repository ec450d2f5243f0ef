"""A pseudonymised extract: keyed-hash customer ids and no personal data (DOMAIN.md §10).

Customer ids become an HMAC-SHA256 of the id under a secret key, so the same key gives the same
ids and the tables still join, while nobody without the key can go back. Columns that hold
personal data are removed: names (name, full name, ФИО, Контрагент, Клиент, Абонент, Subscriber,
Contact person), phones, e-mails, addresses, documents (passport, СНИЛС, ИНН, tax id), birth
dates and bank details, in English or Russian, plus any header a mapping lists as ``personal``.
In the text that stays, e-mails and phone numbers are masked, and any word of a removed name or
a customer id written out is replaced, so free text ("call Ivan Petrov, account 00123") does not
leak what the columns held. Without a customer id column there is nothing to hash: that is an
error, not a silent success.

Output of :func:`pseudonymize_tables`: the clean tables and, per table, a :class:`TableReport`
of the columns hashed, dropped and kept.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

import pandas as pd

from churn_management.analytics.exports.schema import InputError, Problem

# customer ids, and a club's member, card (membership), renewed card and visit ids: hashed alike
ID_COLUMNS = ("customer_id", "member", "membership", "renews", "external_id")
# known columns whose header words look personal but are not (the type of a club card)
NOT_PERSONAL = ("card_type",)
# Any of these words in a header makes the column personal.
PERSONAL_WORDS = {
	"phone",
	"phones",
	"mobile",
	"tel",
	"telephone",
	"cell",
	"fax",
	"телефон",
	"телефоны",
	"тел",
	"мобильный",
	"сотовый",
	"email",
	"mail",
	"почта",
	"address",
	"addr",
	"street",
	"apartment",
	"flat",
	"house",
	"zip",
	"postcode",
	"адрес",
	"улица",
	"квартира",
	"дом",
	"индекс",
	"passport",
	"паспорт",
	"паспортные",
	"document",
	"documents",
	"документ",
	"удостоверение",
	"snils",
	"снилс",
	"inn",
	"инн",
	"tax",
	"vat",
	"ssn",
	"birth",
	"birthday",
	"dob",
	"born",
	"рождения",
	"рождение",
	"surname",
	"firstname",
	"lastname",
	"patronymic",
	"fio",
	"фио",
	"фамилия",
	"имя",
	"отчество",
	"iban",
	"кпп",
	"банковский",
	"ответственный",
	"manager",
	"bank",
	"swift",
	"bic",
	"бик",
	"банк",
	"расчетный",
	"рс",
	"card",
	"карта",
	"карты",
	"contact",
	"contacts",
	"контакт",
	"контакты",
	"контактное",
	"контактный",
	"representative",
	"представитель",
	"signatory",
	"подписант",
	"skype",
	"telegram",
	"whatsapp",
	"ip",
}
# A header made only of these words names a person (or a customer by name).
NAME_WORDS = {
	"name",
	"names",
	"full",
	"first",
	"last",
	"middle",
	"given",
	"family",
	"customer",
	"client",
	"subscriber",
	"owner",
	"person",
	"holder",
	"account",
	"counterparty",
	"contractor",
	"member",
	"наименование",
	"полное",
	"название",
	"клиент",
	"клиента",
	"абонент",
	"абонента",
	"контрагент",
	"контрагента",
	"заказчик",
	"заказчика",
	"покупатель",
	"покупателя",
	"владелец",
	"лицо",
	"член",
	"пользователь",
	"физлицо",
	"of",
}
PERSONAL_PREFIXES = ("паспорт", "телефон", "адрес", "рожден", "фамили", "отчеств", "e-mail", "email")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d\s()\-]{8,}\d")
WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\w[\w\-/.]*\w|\w")
REMOVED = "[removed]"


@dataclass
class TableReport:
	"""What was done to each column of one table."""

	hashed: list[str] = field(default_factory=list)
	dropped: list[str] = field(default_factory=list)
	kept: list[str] = field(default_factory=list)

	def to_dict(self) -> dict:
		return {"hashed": self.hashed, "dropped": self.dropped, "kept": self.kept}


def pseudonym(value: str, key: str) -> str:
	"""The keyed hash of one id."""
	digest = hmac.new(key.encode("utf-8"), str(value).encode("utf-8"), hashlib.sha256).hexdigest()
	return digest[:20]


def header_words(column) -> list[str]:
	"""Lower-case words of a header; dots inside abbreviations (Ф.И.О., Тел.) are dropped."""
	text = str(column).strip().lower().replace("ё", "е")
	text = re.sub(r"(?<=\w)\.(?=\w\.)|(?<=\w\.\w)\.", "", text)
	text = text.replace("e-mail", "email").replace("р/с", "рс")
	return [w for w in re.split(r"[^\w]+|_", text) if w]


def is_personal(column, extra: set[str] | None = None) -> bool:
	"""Whether a header names personal data."""
	if extra and " ".join(str(column).split()).lower().replace("ё", "е") in extra:
		return True
	words = header_words(column)
	if not words or str(column) in ID_COLUMNS:
		return False
	if set(words) & PERSONAL_WORDS or any(w.startswith(PERSONAL_PREFIXES) for w in words):
		return True
	if set(words) <= NAME_WORDS:
		return True
	return "".join(words) in {"фио", "fio", "email"}


def mask_text(series: pd.Series) -> pd.Series:
	"""Mask e-mails and phone numbers written inside free text."""
	text = series.astype("string")
	return text.str.replace(EMAIL, "[e-mail]", regex=True).str.replace(PHONE, "[phone]", regex=True)


def pseudonymize_tables(
	tables: dict[str, pd.DataFrame], key: str, personal: set[str] | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, TableReport]]:
	"""Pseudonymised copies of the tables and, per table, what was hashed, dropped and kept."""
	if not key:
		raise ValueError("a non-empty key is required")
	_require_ids(tables)
	secrets = _secret_words(tables, personal)
	result: dict[str, pd.DataFrame] = {}
	report: dict[str, TableReport] = {}
	cache: dict[str, str] = {}
	for name, frame in tables.items():
		headers = frame.attrs.get("headers") or {}
		frame = frame.copy()
		frame.attrs.clear()
		entry = TableReport()
		dropped = [
			c
			for c in frame.columns
			if c not in ID_COLUMNS
			and c not in NOT_PERSONAL
			and (is_personal(headers.get(c, c), personal) or is_personal(c, personal))
		]
		frame = frame.drop(columns=dropped)
		entry.dropped = [headers.get(c, c) for c in dropped]
		for column in frame.columns:
			if column in ID_COLUMNS:
				frame[column] = _hash_column(frame[column], key, cache)
				entry.hashed.append(headers.get(column, column))
				continue
			if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
				frame[column] = _scrub(frame[column], secrets)
			entry.kept.append(headers.get(column, column))
		result[name] = frame
		report[name] = entry
	return result, report


def _require_ids(tables: dict[str, pd.DataFrame]) -> None:
	"""Refuse when there is no customer (or club member) id column to hash."""
	missing = [name for name, frame in tables.items() if name == "customers" and "customer_id" not in frame]
	if not missing and any(c in frame for frame in tables.values() for c in ID_COLUMNS):
		return
	problems = []
	for name, frame in tables.items():
		if name in missing or not missing:
			headers = frame.attrs.get("headers") or {}
			found = ", ".join(f"'{headers.get(c, c)}'" for c in frame.columns) or "none"
			origin = frame.attrs.get("origin") or name
			problems.append(
				Problem(
					origin,
					f"no customer id column to hash; columns found: {found}. Name it customer_id or "
					"give --mapping (for 1C: --mapping 1c-ru); nothing was written",
				)
			)
	raise InputError(problems)


def _secret_words(tables: dict[str, pd.DataFrame], personal: set[str] | None) -> dict[str, set[str]]:
	"""Words of names and whole values of personal columns, and ids, to remove from kept text."""
	words: set[str] = set()
	values: set[str] = set()
	ids: set[str] = set()
	for frame in tables.values():
		headers = frame.attrs.get("headers") or {}
		for column in frame.columns:
			if column in ID_COLUMNS:
				ids.update(str(v).strip() for v in pd.unique(frame[column].dropna()))
				continue
			if not (is_personal(headers.get(column, column), personal) or is_personal(column, personal)):
				continue
			unique = [str(v).strip() for v in pd.unique(frame[column].dropna())]
			values.update(v for v in unique if len(v) >= 3)
			if set(header_words(headers.get(column, column))) & (
				NAME_WORDS | {"фио", "fio", "фамилия", "имя", "отчество", "surname", "contact", "контактное"}
			):
				for value in unique:
					words.update(w.lower() for w in WORD.findall(value) if len(w) >= 3 and not w.isdigit())
	ids = {i for i in ids if len(i) >= 4 or not i.isdigit()}
	return {"words": words, "values": values, "ids": ids}


def _scrub(series: pd.Series, secrets: dict[str, set[str]]) -> pd.Series:
	"""Mask e-mails, phones, name words, personal values and ids inside kept text."""
	text = series.astype("string")
	unique = pd.unique(text.dropna())
	cleaned = {}
	words, values, ids = secrets["words"], secrets["values"], secrets["ids"]
	for value in unique:
		original = str(value)
		if original.strip() in values or original.strip() in ids:
			cleaned[value] = REMOVED
			continue
		new = EMAIL.sub("[e-mail]", original)
		new = PHONE.sub("[phone]", new)
		new = TOKEN.sub(lambda m: REMOVED if m.group(0) in ids else m.group(0), new)
		new = WORD.sub(
			lambda m: REMOVED if m.group(0).lower() in words or m.group(0) in ids else m.group(0), new
		)
		if new != original:
			cleaned[value] = new
	if not cleaned:
		return series
	return text.map(lambda v: cleaned.get(v, v) if v is not pd.NA else v).astype("string")


def _hash_column(values: pd.Series, key: str, cache: dict[str, str]) -> pd.Series:
	text = values.astype("string").str.strip()
	unique = pd.unique(text.dropna())
	for value in unique:
		if value not in cache:
			cache[value] = pseudonym(value, key)
	return text.map(cache, na_action="ignore")
