"""A pseudonymised extract: keyed-hash customer ids and no personal data (DOMAIN.md §10).

Customer ids become an HMAC-SHA256 of the id under a secret key, so the same key gives the same
ids and the tables still join, while nobody without the key can go back. Columns that hold
personal data (names, phones, e-mails, addresses, documents, birth dates; English or Russian
headers) are removed, and phones and e-mails written inside free text are masked.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

PERSONAL_TOKENS = {
	"phone",
	"phones",
	"mobile",
	"tel",
	"telephone",
	"email",
	"mail",
	"e_mail",
	"address",
	"street",
	"apartment",
	"flat",
	"passport",
	"document",
	"documents",
	"snils",
	"birth",
	"birthday",
	"dob",
	"surname",
	"patronymic",
	"fio",
	"inn_person",
	"фио",
	"имя",
	"фамилия",
	"отчество",
	"телефон",
	"мобильный",
	"почта",
	"адрес",
	"улица",
	"квартира",
	"паспорт",
	"документ",
	"снилс",
	"рождения",
	"контакт",
	"контакты",
	"контактное",
	"email_address",
}
NAME_QUALIFIERS = {
	"customer",
	"client",
	"contact",
	"full",
	"first",
	"last",
	"middle",
	"person",
	"subscriber",
	"owner",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d\s()\-]{8,}\d")
ID_COLUMNS = ("customer_id",)


def pseudonym(value: str, key: str) -> str:
	"""The keyed hash of one id."""
	digest = hmac.new(key.encode("utf-8"), str(value).encode("utf-8"), hashlib.sha256).hexdigest()
	return digest[:20]


def is_personal(column: str) -> bool:
	"""Whether a header names personal data."""
	tokens = [t for t in re.split(r"[^\w]+|_", str(column).strip().lower()) if t]
	if not tokens:
		return False
	if set(tokens) & PERSONAL_TOKENS:
		return True
	if "name" in tokens or "наименование" in tokens:
		return len(tokens) == 1 or bool(set(tokens) & NAME_QUALIFIERS)
	return False


def mask_text(series: pd.Series) -> pd.Series:
	"""Mask e-mails and phone numbers written inside free text."""
	text = series.astype("string")
	return text.str.replace(EMAIL, "[e-mail]", regex=True).str.replace(PHONE, "[phone]", regex=True)


def pseudonymize_tables(
	tables: dict[str, pd.DataFrame], key: str
) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
	"""Pseudonymised copies of the tables and, per table, the columns removed."""
	if not key:
		raise ValueError("a non-empty key is required")
	result: dict[str, pd.DataFrame] = {}
	removed: dict[str, list[str]] = {}
	cache: dict[str, str] = {}
	for name, frame in tables.items():
		frame = frame.copy()
		dropped = [c for c in frame.columns if c not in ID_COLUMNS and is_personal(c)]
		frame = frame.drop(columns=dropped)
		removed[name] = dropped
		for column in ID_COLUMNS:
			if column in frame:
				frame[column] = _hash_column(frame[column], key, cache)
		for column in frame.columns:
			if column not in ID_COLUMNS and (
				frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
			):
				frame[column] = mask_text(frame[column])
		result[name] = frame
	return result, removed


def _hash_column(values: pd.Series, key: str, cache: dict[str, str]) -> pd.Series:
	text = values.astype("string")
	unique = pd.unique(text.dropna())
	for value in unique:
		if value not in cache:
			cache[value] = pseudonym(value, key)
	return text.map(cache, na_action="ignore")
