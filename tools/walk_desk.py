"""Walk the desk as each role would, in English and Russian, and report what a user would trip on.

Runs in headless Chromium (Playwright driving Debian's chromium) against a bench served on
127.0.0.1. For each user of the walk (churn_management/tests/walk_data.py) it opens the landing
workspace, each of the app's own workspaces the user's sidebar shows, every shortcut and link on
them and the first document of every list it reaches, and records:

* error messages: message dialogs, red alerts, "Not permitted" pages, server errors (HTTP 5xx,
  refused API calls) and JavaScript errors;
* in Russian, on the app's own screens (its workspaces, DocTypes and reports): any text left in English (a visible text equal to an English
  source of translations/ru.csv) and words borrowed from other apps' translations.

Usage (tools/walk-desk wraps it): python tools/walk_desk.py --url http://127.0.0.1:8010 --out DIR
Exits 1 when anything was found, 0 when the walk was clean.
"""

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RU_CSV = ROOT / "churn_management" / "translations" / "ru.csv"
PASSWORD = "Walk-pass-2026!"
ROLES = ("desk", "manager", "head", "collector", "accounts", "club", "analyst")
# translations other apps ship for words of ours: seeing one means our own line was not used
BORROWED = {"Выдающийся", "Звоните на", "Дебеторы", "Просроченные", "Открытие", "1. Открытие"}
MAX_PAGES = 40
# Frappe's query report draws its chart again when its filters are refreshed from the URL; a second
# draw before the first one's animation ends makes frappe-charts remove a node already gone. Nothing
# shows on screen, with any report of Frappe's or ours, so it is reported apart and not counted.
FRAPPE_CHART_RACE = "Failed to execute 'removeChild' on 'Node'"

# where the desk shows documents' names and link values (data in the language they were written in)
DATA_SELECTOR = ", ".join(
	(
		'[data-fieldtype="Link"]',
		'[data-fieldtype="Dynamic Link"]',
		".list-subject",
		".title-text",
		".tree-label",
		".tree-link",
		"#navbar-breadcrumbs",
		".list-row-col a.filterable",
		'.dt-cell[data-col-index] a[href*="/app/"]',
	)
)

COLLECT_TEXTS = """
() => {
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const node = walker.currentNode;
		const text = node.textContent.trim();
		if (!text) continue;
		const el = node.parentElement;
		if (!el || el.closest("script,style,noscript,textarea,.ql-editor,.ace_editor")) continue;
		// documents' own names and link values are data, not the app's words
		if (el.closest(DATA_SELECTOR)) continue;
		const style = getComputedStyle(el);
		if (style.display === "none" || style.visibility === "hidden" || !el.getClientRects().length) continue;
		const field = el.closest("[data-fieldname]");
		out.push([text, field ? field.getAttribute("data-fieldname") : el.tagName.toLowerCase()]);
	}
	return out;
}
"""

VISIBLE_ERRORS = """
() => {
	const seen = [];
	const visible = (el) => el && el.getClientRects().length && getComputedStyle(el).visibility !== "hidden";
	document.querySelectorAll(".modal.show").forEach((m) => {
		if (!visible(m)) return;
		const body = m.querySelector(".msgprint, .modal-body");
		const title = m.querySelector(".modal-title");
		if (m.querySelector(".msgprint") || (title && /error|not permitted|ошибка|нет доступа/i.test(title.innerText)))
			seen.push("dialog: " + ((title ? title.innerText + ": " : "") + (body ? body.innerText : "")).trim());
	});
	document.querySelectorAll("#alert-container .alert").forEach((a) => {
		if (visible(a) && a.querySelector(".indicator.red, .red")) seen.push("alert: " + a.innerText.trim());
	});
	document.querySelectorAll(".page-card-head").forEach((h) => {
		if (visible(h)) seen.push("page: " + h.innerText.trim());
	});
	return seen;
}
"""


@dataclass
class Walk:
	role: str
	language: str
	problems: list[str] = field(default_factory=list)
	notes: list[str] = field(default_factory=list)
	pages: int = 0


def english_sources() -> set[str]:
	"""The app's English strings that have a Russian translation of their own."""
	sources = set()
	with RU_CSV.open(encoding="utf-8") as handle:
		for row in csv.reader(handle):
			if len(row) >= 2 and row[0].strip() and row[1].strip() and row[0].strip() != row[1].strip():
				if re.search(r"[A-Za-z]{3,}", row[0]) and "{" not in row[0] and "<" not in row[0]:
					sources.add(row[0].strip())
	return sources


def settle(page) -> None:
	try:
		page.wait_for_load_state("networkidle", timeout=15000)
	except Exception:
		pass
	time.sleep(0.8)


def check_page(page, walk: Walk, where: str, sources: set[str], shots: Path) -> None:
	settle(page)
	walk.pages += 1
	for message in page.evaluate(VISIBLE_ERRORS):
		walk.problems.append(f"{where}: {message[:300]}")
	if walk.language == "ru" and is_app_screen(page.url):
		texts = page.evaluate(COLLECT_TEXTS.replace("DATA_SELECTOR", repr(DATA_SELECTOR)))
		for text, place in sorted({tuple(t) for t in texts}):
			if text in sources:
				walk.problems.append(f"{where}: English text in Russian: {text!r} ({place})")
			if text in BORROWED:
				walk.problems.append(f"{where}: borrowed translation {text!r} ({place})")
	name = re.sub(r"[^a-z0-9]+", "-", where.lower()).strip("-")[:80]
	page.screenshot(
		path=str(shots / f"{walk.role}-{walk.language}-{walk.pages:02d}-{name}.png"), full_page=True
	)
	close_dialogs(page)


def close_dialogs(page) -> None:
	page.keyboard.press("Escape")
	page.evaluate("() => document.querySelectorAll('.modal.show .btn-modal-close').forEach((b) => b.click())")


def login(context, base: str, user: str) -> None:
	response = context.request.post(f"{base}/api/method/login", form={"usr": user, "pwd": PASSWORD})
	if response.status != 200:
		raise SystemExit(f"cannot log in as {user}: HTTP {response.status} (run the walk's data step first)")


def workspace_targets(page) -> tuple[list[str], list[str]]:
	"""The links (hrefs) and shortcut labels of the workspace on screen."""
	hrefs = page.evaluate(
		"""() => Array.from(document.querySelectorAll('.layout-main-section a[href^="/app/"]'))
			.filter((a) => a.getClientRects().length).map((a) => a.getAttribute('href'))"""
	)
	shortcuts = page.evaluate(
		"""() => Array.from(document.querySelectorAll('.shortcut-widget-box'))
			.filter((s) => s.getClientRects().length).map((s) => s.innerText.trim().split('\\n')[0])"""
	)
	return list(dict.fromkeys(hrefs)), shortcuts


def open_first_document(page, walk: Walk, where: str, sources: set[str], shots: Path) -> None:
	link = page.locator(".list-row-container .list-subject a.ellipsis").first
	if link.count():
		link.click()
		check_page(page, walk, f"{where} > first document", sources, shots)


def app_routes() -> set[str]:
	"""The desk routes of the app's own screens: its workspaces, DocTypes and reports."""
	routes = set()
	for kind in ("workspace", "doctype", "report"):
		for path in ROOT.glob(f"churn_management/*/{kind}/*/*.json"):
			name = json.loads(path.read_text()).get("name", "")
			slug = name if kind == "report" else name.lower().replace(" ", "-")
			routes.add(f"query-report/{slug}" if kind == "report" else slug)
	return routes


APP_ROUTES: set[str] = set()


def is_app_screen(url: str) -> bool:
	"""ERPNext's own screens (Accounts Receivable, Customer) speak ERPNext's words, not ours."""
	from urllib.parse import unquote, urlparse

	if not APP_ROUTES:
		APP_ROUTES.update(app_routes())
	parts = unquote(urlparse(url).path).strip("/").split("/")[1:]
	route = "/".join(parts[:2]) if parts[:1] == ["query-report"] else (parts[0] if parts else "")
	return route in APP_ROUTES


def app_workspaces() -> list[str]:
	"""The route slugs of the app's own workspaces."""
	names = [
		json.loads(path.read_text())["name"] for path in ROOT.glob("churn_management/*/workspace/*/*.json")
	]
	return [name.lower().replace(" ", "-") for name in sorted(names)]


def walk_workspace(page, walk: Walk, base: str, home: str, sources: set[str], shots: Path) -> None:
	"""The workspace, each of its shortcuts and links, and the first document of each list reached."""
	page.goto(f"{base}{home}")
	check_page(page, walk, f"workspace {home}", sources, shots)
	hrefs, shortcuts = workspace_targets(page)
	for index, label in enumerate(shortcuts):
		page.goto(f"{base}{home}")
		settle(page)
		boxes = page.locator(".shortcut-widget-box")
		if index >= boxes.count():
			break
		boxes.nth(index).click()
		check_page(page, walk, f"{home} shortcut {label}", sources, shots)
		if "query-report" not in page.url and page.locator(".list-row-container").count():
			open_first_document(page, walk, f"{home} shortcut {label}", sources, shots)
	for href in hrefs[:MAX_PAGES]:
		page.goto(f"{base}{href}")
		check_page(page, walk, f"{home} link {href}", sources, shots)
		if page.locator(".list-row-container").count():
			open_first_document(page, walk, f"{home} link {href}", sources, shots)


def on_javascript_error(walk: Walk, url: str, error: str) -> None:
	"""A JavaScript error is a problem, except Frappe's own chart race (see FRAPPE_CHART_RACE)."""
	if "/query-report/" in url and FRAPPE_CHART_RACE in error:
		walk.notes.append(f"{url}: {error[:120]}")
	else:
		walk.problems.append(f"{url}: JavaScript error: {error}")


def walk_user(browser, base: str, role: str, language: str, sources: set[str], shots: Path) -> Walk:
	walk = Walk(role, language)
	context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=language)
	page = context.new_page()
	page.on("pageerror", lambda error: on_javascript_error(walk, page.url, str(error)))
	page.on(
		"response",
		lambda response: (
			walk.problems.append(f"{response.url}: HTTP {response.status}")
			if response.status >= 500 or (response.status in (403, 417) and "/api/" in response.url)
			else None
		),
	)
	login(context, base, f"{role}.{language}@walk.test")
	page.goto(f"{base}/app")
	check_page(page, walk, "landing workspace", sources, shots)
	sidebar = page.evaluate(
		"() => Array.from(document.querySelectorAll('.desk-sidebar a[href]')).map((a) => a.getAttribute('href'))"
	)
	for home in [f"/app/{slug}" for slug in app_workspaces() if f"/app/{slug}" in sidebar]:
		walk_workspace(page, walk, base, home, sources, shots)
	context.close()
	return walk


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--url", default="http://127.0.0.1:8010", help="the bench, served on 127.0.0.1")
	parser.add_argument(
		"--out", default="walk-output", help="folder for the screenshots (default walk-output)"
	)
	parser.add_argument("--roles", default=",".join(ROLES), help="roles to walk (default: all seven)")
	parser.add_argument("--langs", default="en,ru", help="languages to walk (default: en,ru)")
	parser.add_argument(
		"--chromium", default="/usr/bin/chromium", help="the browser (default /usr/bin/chromium)"
	)
	args = parser.parse_args()
	if not re.match(r"^https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/?$", args.url):
		parser.error("the walk runs only against a bench on this machine (127.0.0.1 / localhost)")

	from playwright.sync_api import sync_playwright

	shots = Path(args.out)
	shots.mkdir(parents=True, exist_ok=True)
	sources = english_sources()
	walks = []
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
		for language in args.langs.split(","):
			for role in args.roles.split(","):
				walk = walk_user(browser, args.url.rstrip("/"), role, language, sources, shots)
				walks.append(walk)
				status = "clean" if not walk.problems else f"{len(walk.problems)} problem(s)"
				print(f"{role:10} {language}: {walk.pages:3} screens, {status}", flush=True)
				for problem in dict.fromkeys(walk.problems):
					print(f"    {problem}")
				for note in dict.fromkeys(walk.notes):
					print(f"    (Frappe's chart race, not counted) {note}")
		browser.close()
	found = sum(len(w.problems) for w in walks)
	print(f"walk: {sum(w.pages for w in walks)} screens, {found} problem(s); screenshots in {shots}")
	return 1 if found else 0


if __name__ == "__main__":
	sys.exit(main())
