# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Batch loading of club visits from turnstile and booking systems.

POST /api/method/churn_management.clubs.api.club_visits.load_visits with the header
``Authorization: token <api key>:<api secret>`` of a user who may create Club Visits, and a JSON
body ``{"visits": [{"external_id", "member", "club", "department", "checkin", "checkout"}, ...]}``.

The batch is checked whole before anything is written: a malformed batch is refused with each
bad row and its reason, and nothing is loaded. Visits whose external id is already loaded, or
repeated in the batch, are skipped and counted, so a batch sent twice loads once (the unique
index on external_id guards against two batches racing). Rows are written set-based, in
multi-row inserts, not one document at a time.

A Club Manager loads a file (CSV or Excel, a header row of field names or labels) from the Club
Visit list through the same loader and checks (load_visit_file). Check-in times with a UTC offset
are converted to the club's local time (the system time zone); times without one are local.
"""

import json
import re
import secrets
import time

import pandas as pd

import frappe
from frappe import _
from frappe.utils import get_system_timezone, now_datetime
from frappe.utils.csvutils import read_csv_content
from frappe.utils.xlsxutils import read_xlsx_file_from_attached_file

from churn_management.analytics.exports.club_input import to_local_times
from churn_management.clubs.doctype.club_visit.club_visit_utils import (
	assign_cards,
	mark_starter_services,
	read_cards,
)
from churn_management.utils.bulk import count_where_in, insert_rows, select_where_in

MAX_BATCH = 100_000
MAX_PROBLEMS_SHOWN = 20
CHUNK = 5_000
FIELDS = ("external_id", "member", "club", "department", "checkin", "checkout")
# a file's column headers: the field names or the Club Visit labels, case and punctuation aside
COLUMN_NAMES = {re.sub(r"[^a-z]", "", field): field for field in FIELDS}


class VisitBatchError(frappe.ValidationError):
	pass


class TokenRequiredError(frappe.AuthenticationError):
	pass


@frappe.whitelist(methods=["POST"])
def load_visits(visits: list | str, source: str | None = None) -> dict:
	"""Load a batch of visits; return how many were received, loaded and skipped as duplicates."""
	require_token_auth()
	frappe.has_permission("Club Visit", "create", throw=True)
	try:
		rows = json.loads(visits) if isinstance(visits, str) else visits
	except json.JSONDecodeError as error:
		frappe.throw(_("The batch is not valid JSON: {0}").format(error), VisitBatchError)
	return load_visit_batch(rows, source)


@frappe.whitelist(methods=["POST"])
def load_visit_file(file_url: str) -> dict:
	"""Load a CSV or Excel file of visits uploaded on the Club Visit list, with the batch's checks."""
	frappe.has_permission("Club Visit", "create", throw=True)
	file = frappe.get_doc("File", {"file_url": file_url})
	file.check_permission("read")
	return load_visit_batch(read_visit_file(file), source=file.file_name)


def read_visit_file(file) -> list[dict]:
	"""The file's rows as visits: the first row names the columns (field names or labels)."""
	extension = (file.file_name or file.file_url or "").rsplit(".", 1)[-1].lower()
	if extension == "csv":
		table = read_csv_content(file.get_content())
	elif extension == "xlsx":
		table = read_xlsx_file_from_attached_file(fcontent=file.get_content())
	else:
		frappe.throw(_("Upload the visits as a CSV or Excel (.xlsx) file."), VisitBatchError)
	if not table:
		frappe.throw(_("The batch is empty."), VisitBatchError)
	columns = [COLUMN_NAMES.get(_column_key(header)) for header in table[0]]
	if "member" not in columns or "checkin" not in columns:
		frappe.throw(
			_("The file's first row must name the columns: {0}.").format(", ".join(FIELDS)), VisitBatchError
		)
	return [
		{column: value for column, value in zip(columns, row, strict=False) if column}
		for row in table[1:]
		if any(value not in (None, "") for value in row)
	]


def _column_key(header) -> str:
	return re.sub(r"[^a-z]", "", str(header or "").lower())


def require_token_auth() -> None:
	"""Machines load visits with an API key and secret, not with a browser session."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return  # called in-process (bench execute, a job, a test): the caller is already a user
	header = request.headers.get("Authorization", "") if hasattr(request, "headers") else ""
	if not header.lower().startswith("token ") or frappe.session.user == "Guest":
		frappe.throw(
			_("Load visits with an API key and secret: Authorization: token <key>:<secret>."),
			TokenRequiredError,
		)


def load_visit_batch(rows: list, source: str | None = None) -> dict:
	"""Check the whole batch, skip known and repeated external ids, insert the rest set-based."""
	frame = parse_batch(rows)
	problems = batch_problems(frame)
	if problems:
		shown = problems[:MAX_PROBLEMS_SHOWN]
		more = len(problems) - len(shown)
		lines = [_("Row {0}: {1}").format(row, reason) for row, reason in shown]
		if more:
			lines.append(_("and {0} more problems").format(more))
		frappe.throw(
			"<br>".join([_("The batch was refused whole; nothing was loaded."), *lines]),
			VisitBatchError,
			title=_("Malformed Batch"),
		)
	received = len(frame)
	repeated = frame["external_id"].duplicated()
	frame = frame[~repeated]
	known = known_external_ids(frame["external_id"].tolist())
	frame = frame[~frame["external_id"].isin(known)]
	frame = frame.assign(name=ordered_names(len(frame)))
	inserted = insert_visits(frame, source)
	marked = mark_starter_services(frame) if len(frame) else 0
	return {
		"received": received,
		"inserted": inserted,
		"duplicates_in_batch": int(repeated.sum()),
		"already_loaded": len(known),
		"starter_services_marked": marked,
	}


def ordered_names(count: int) -> list[str]:
	"""Names that grow with time (milliseconds, a random part, the row): a million visits append to
	the table's primary key instead of landing on random pages of it."""
	prefix = f"{int(time.time() * 1000):011x}{secrets.token_hex(3)}"
	return [f"{prefix}{row:05x}" for row in range(count)]


def parse_batch(rows) -> pd.DataFrame:
	"""The batch as a frame, times as the club's local time (the system time zone); anything but a
	list is refused at once, a row that is not an object is a row problem."""
	if not isinstance(rows, list):
		frappe.throw(_("The batch must be a list of visits, each an object."), VisitBatchError)
	if not rows:
		frappe.throw(_("The batch is empty."), VisitBatchError)
	if len(rows) > MAX_BATCH:
		frappe.throw(_("A batch holds at most {0} visits; split it.").format(MAX_BATCH), VisitBatchError)
	objects = [isinstance(r, dict) for r in rows]
	frame = pd.DataFrame([r if ok else {} for r, ok in zip(rows, objects, strict=True)], columns=list(FIELDS))
	frame["_object"] = objects
	for column in ("external_id", "member", "club", "department"):
		frame[column] = frame[column].map(_text)
	time_zone = get_system_timezone()
	for column in ("checkin", "checkout"):
		frame[f"_{column}_raw"] = frame[column].map(_text)
		frame[column] = to_local_times(frame[f"_{column}_raw"], time_zone)
	frame.index = range(1, len(frame) + 1)
	return frame


def _text(value) -> str | None:
	if value is None or (isinstance(value, float) and pd.isna(value)):
		return None
	return str(value).strip() or None


def batch_problems(frame: pd.DataFrame) -> list[tuple[int, str]]:
	"""Every bad row of the batch (row numbers from 1) with its reason, in row order."""
	problems: list[tuple[int, str]] = []

	def flag(mask, reason):
		problems.extend((int(row), reason) for row in frame.index[mask.fillna(False).to_numpy(dtype=bool)])

	flag(~frame["_object"], _("the row is not an object"))
	for column in ("external_id", "member", "club"):
		flag(frame[column].isna() & frame["_object"], _("{0} is missing").format(column))
	flag(frame["_checkin_raw"].isna() & frame["_object"], _("{0} is missing").format("checkin"))
	flag(frame["checkin"].isna() & frame["_checkin_raw"].notna(), _("the check-in is not a date and time"))
	flag(frame["checkout"].isna() & frame["_checkout_raw"].notna(), _("the check-out is not a date and time"))
	flag(frame["checkin"] > pd.Timestamp(now_datetime()), _("the check-in is in the future"))
	flag(frame["checkout"] < frame["checkin"], _("the check-out is before the check-in"))
	flag(~frame["club"].isin(existing("Branch", frame["club"])) & frame["club"].notna(), _("unknown club"))
	departments = frame["department"].notna()
	flag(
		departments & ~frame["department"].isin(existing("Department", frame["department"])),
		_("unknown department"),
	)
	allowed = permitted_clubs()
	if allowed is not None:
		flag(frame["club"].notna() & ~frame["club"].isin(allowed), _("you may not load visits of this club"))
	members = sorted(set(frame["member"].dropna()))
	cards = read_cards(members)
	flag(frame["member"].notna() & ~frame["member"].isin(set(cards["member"])), _("the member holds no card"))
	# every bad row in one answer: the card is looked for wherever member, club and check-in are good
	placed = frame["member"].isin(set(cards["member"])) & frame["club"].notna() & frame["checkin"].notna()
	found = assign_cards(frame[placed], cards).reindex(frame.index).astype(object)
	frame["membership"] = found.where(found.notna(), None)
	flag(placed & frame["membership"].isna(), _("the visit is before the member's card in this club starts"))
	return sorted(problems)


def existing(doctype: str, names: pd.Series) -> set[str]:
	wanted = sorted(set(names.dropna()))
	if not wanted:
		return set()
	table = frappe.qb.DocType(doctype)
	return {r[0] for r in frappe.qb.from_(table).select(table.name).where(table.name.isin(wanted)).run()}


def permitted_clubs() -> set[str] | None:
	"""The clubs the user is restricted to by User Permissions, or None when unrestricted."""
	permissions = frappe.permissions.get_user_permissions(frappe.session.user).get("Branch")
	if not permissions:
		return None
	return {p.get("doc") for p in permissions}


def known_external_ids(ids: list[str]) -> set[str]:
	return {row[0] for row in select_where_in("Club Visit", ["external_id"], "external_id", ids)}


def insert_visits(frame: pd.DataFrame, source: str | None) -> int:
	"""Multi-row INSERT IGNORE: a row another batch loaded meanwhile is skipped by the unique index."""
	if frame.empty:
		return 0
	now = now_datetime()
	user = frappe.session.user
	checkout = frame["checkout"].dt.strftime("%Y-%m-%d %H:%M:%S").astype(object)
	checkout = checkout.where(frame["checkout"].notna(), None)
	values = zip(
		frame["name"],
		frame["member"],
		frame["membership"],
		frame["club"],
		frame["department"],
		frame["checkin"].dt.strftime("%Y-%m-%d %H:%M:%S"),
		checkout,
		frame["external_id"],
		[source] * len(frame),
		strict=True,
	)
	fields = [
		"name",
		"member",
		"membership",
		"club",
		"department",
		"checkin",
		"checkout",
		"external_id",
		"source",
	]
	# docstatus, idx and modified_by keep their column defaults: fewer values to quote per row
	insert_rows(
		"Club Visit",
		[*fields, "owner", "creation", "modified"],
		((*row, user, now, now) for row in values),
		ignore_duplicates=True,
		chunk_size=CHUNK,
	)
	return count_names(frame["name"].tolist())


def count_names(names: list[str]) -> int:
	"""How many of these visits are in the table (by primary key, so cheap on a big table)."""
	return count_where_in("Club Visit", "name", names)
