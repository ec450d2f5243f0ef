"""Fill and send the online request form in headless Chromium, as a customer would, and check the draft.

A guest opens /contract-request, asks to end the contract with the right customer id and e-mail,
then once more with a wrong e-mail; both see the same answer. The site's side then does what the
background worker does, and the check reads what was made: one draft Termination Application with
the channel "Website" for the right pair, nothing for the wrong one.

Usage (tools/check-contract-form wraps it):
  python tools/check_contract_form.py --url http://127.0.0.1:8035 --site h4.localhost --bench ~/frappe-bench
Exits 1 on any failed check.
"""

import argparse
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = "churn_management.tests.contract_form_data"


def site_call(args, function: str, *params) -> object:
	"""Run one of the data module's functions on the site and return what it returned."""
	command = [
		"../env/bin/python",
		"-m",
		"frappe.utils.bench_helper",
		"frappe",
		"--site",
		args.site,
		"execute",
		f"{DATA}.{function}",
	]
	if params:
		command += ["--args", json.dumps(list(params))]
	env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
	out = subprocess.run(
		command, cwd=Path(args.bench) / "sites", env=env, capture_output=True, text=True, check=True
	)
	lines = [line for line in out.stdout.splitlines() if line.strip()]
	return json.loads(lines[-1]) if lines else None


def send_form(page, base: str, customer: str, email: str, shots: Path, tag: str) -> str:
	"""Fill the form as a visitor types it and send it; returns the answer shown."""
	page.goto(f"{base}/contract-request")
	page.wait_for_selector('[data-fieldname="customer_id"] input', timeout=20000)
	page.select_option('[data-fieldname="request_type"] select', "End the contract")
	page.fill('[data-fieldname="customer_id"] input', customer)
	page.fill('[data-fieldname="email"] input', email)
	page.evaluate(
		"(day) => frappe.web_form.set_value('desired_date', day)", str(date.today() + timedelta(days=14))
	)
	page.fill('[data-fieldname="reason"] textarea', "We are moving to another city next month.")
	page.screenshot(path=str(shots / f"i16-desk-contract-form-{tag}.png"), full_page=True)
	page.click(".submit-btn")
	page.wait_for_selector(".success-page:not(.hide)", timeout=20000)
	page.screenshot(path=str(shots / f"i16-desk-contract-form-{tag}-sent.png"), full_page=True)
	return page.inner_text(".success-page")


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--url", default="http://127.0.0.1:8035")
	parser.add_argument("--site", required=True)
	parser.add_argument("--bench", default=str(Path.home() / "frappe-bench"))
	parser.add_argument("--shots", default="walk-output", help="folder for the screenshots")
	parser.add_argument("--chromium", default="/usr/bin/chromium")
	args = parser.parse_args()
	if not re.match(r"^https?://(127\.\d+\.\d+\.\d+|localhost)(:\d+)?/?$", args.url):
		parser.error("the check runs only against a bench on this machine (127.0.0.1 / localhost)")
	from playwright.sync_api import sync_playwright

	shots = Path(args.shots)
	shots.mkdir(parents=True, exist_ok=True)
	who = site_call(args, "make_form_customer")
	base = args.url.rstrip("/")
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
		page = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en").new_page()
		right = send_form(page, base, who["customer"], who["email"], shots, "right")
		wrong = send_form(page, base, who["customer"], "not.the.customer@walk.test", shots, "wrong")
		browser.close()
	outcomes = site_call(args, "process_received")
	failures = []
	if right != wrong:
		failures.append(f"the answers differ: {right!r} / {wrong!r}")
	statuses = [row["status"] for row in outcomes]
	if statuses != ["Draft Made", "Not Matched"]:
		failures.append(f"outcomes {statuses}, expected ['Draft Made', 'Not Matched']")
	else:
		draft = site_call(
			args, "application_of", outcomes[0]["application_doctype"], outcomes[0]["application"]
		)
		if (
			draft.get("docstatus") != 0
			or draft.get("channel") != "Website"
			or draft.get("customer") != who["customer"]
		):
			failures.append(f"the draft made is not a Website draft of the customer: {draft}")
		else:
			print(
				f"draft {draft['name']} made for {draft['customer']}, channel {draft['channel']}, still a draft"
			)
	for failure in failures:
		print(f"FAILED: {failure}")
	print("contract form: " + ("OK" if not failures else f"{len(failures)} problem(s)"))
	return 1 if failures else 0


if __name__ == "__main__":
	sys.exit(main())
