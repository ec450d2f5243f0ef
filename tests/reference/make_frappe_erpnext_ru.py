"""Rebuild frappe_erpnext_ru.csv: the Russian that Frappe and ERPNext give their own words, without context.

Run on a machine with the Frappe and ERPNext sources, after an upgrade of either:
    python -m tests.reference.make_frappe_erpnext_ru /path/to/apps/frappe /path/to/apps/erpnext
The merge follows frappe.translate.get_translations_from_apps: app by app in install order, the app's
translations/ru.csv first, then its compiled locale/ru.po; a later value wins. Kept are every short
single-line string (the words any app may reuse: labels, statuses, buttons) and every longer one
this app shows, so the file stays small enough to commit.
"""

from __future__ import annotations

import ast
import csv
import sys
from pathlib import Path

from tests.translatable import app_strings

HERE = Path(__file__).parent
TARGET = HERE / "frappe_erpnext_ru.csv"
MAX_WORDS = 4
MAX_CHARS = 60


def csv_catalogue(path: Path) -> dict[str, str]:
	"""Rows without context of an app's translations/ru.csv, read as Frappe reads them."""
	found: dict[str, str] = {}
	if not path.exists():
		return found
	with path.open(encoding="utf-8", newline="") as handle:
		for row in csv.reader(handle):
			if len(row) not in (2, 3) or (len(row) == 3 and row[2]):
				continue
			translated = row[1].replace("\\n", "\n").strip()
			if translated:
				found[row[0].replace("\\n", "\n")] = translated
	return found


def po_catalogue(path: Path) -> dict[str, str]:
	"""Entries without context of a PO file that a compiled MO keeps: translated and not fuzzy."""
	found: dict[str, str] = {}
	if not path.exists():
		return found
	entry: dict[str, str] = {}
	fuzzy = False
	key = None

	def flush() -> None:
		if entry.get("msgid") and "msgctxt" not in entry and entry.get("msgstr") and not fuzzy:
			found[entry["msgid"]] = entry["msgstr"]

	for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
		line = raw.strip()
		if not line:
			flush()
			entry, fuzzy, key = {}, False, None
		elif line.startswith("#,"):
			fuzzy = fuzzy or "fuzzy" in line
		elif line.startswith("#"):
			continue
		elif line.startswith('"') and key:
			entry[key] += ast.literal_eval(line)
		else:
			name, _, literal = line.partition(" ")
			key = "msgstr" if name == "msgstr[0]" else name
			entry[key] = ast.literal_eval(literal)
	return found


def merged(app_dirs: list[Path]) -> dict[str, str]:
	"""What the site shows for each word before this app adds its own catalogue."""
	translations: dict[str, str] = {}
	for app_dir in app_dirs:
		package = app_dir / app_dir.name
		translations.update(csv_catalogue(package / "translations" / "ru.csv"))
		translations.update(po_catalogue(package / "locale" / "ru.po"))
	return translations


def is_common(source: str) -> bool:
	return "\n" not in source and len(source) <= MAX_CHARS and len(source.split()) <= MAX_WORDS


def main(app_dirs: list[str]) -> None:
	translations = merged([Path(d).resolve() for d in app_dirs])
	ours = app_strings()
	kept = {s: t for s, t in translations.items() if s.strip() and (is_common(s) or s in ours)}
	with TARGET.open("w", encoding="utf-8", newline="") as handle:
		writer = csv.writer(handle, lineterminator="\n")
		writer.writerows(sorted(kept.items()))
	sys.stdout.write(f"{len(kept)} of {len(translations)} strings written to {TARGET}\n")


if __name__ == "__main__":
	main(sys.argv[1:] or ["/root/src/frappe", "/root/src/erpnext"])
