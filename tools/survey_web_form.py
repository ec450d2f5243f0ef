"""Answer a personal survey link in headless Chromium, as a customer would, and check what was saved.

Opens the link's web form (no login), checks the survey's questions are shown, gives a score of 3, answers
the first question, adds a comment and sends; then checks the response saved on the site (through
``bench execute``), that the same link now says it has been used, and that a made-up link is refused (in
Russian with ``_lang=ru``).

Usage (tools/survey-web-form wraps it): python tools/survey_web_form.py --url URL --link LINK --check CMD...
Exits 1 on the first thing that is not as it should be.
"""

import argparse
import json
import subprocess
import sys

from playwright.sync_api import expect, sync_playwright

QUESTIONS = ["What should we improve?", "Would you stay another year?"]


def saved_answer(check: list[str]) -> dict:
	out = subprocess.run(check, capture_output=True, text=True, check=True).stdout.strip().splitlines()
	return json.loads(out[-1]) if out and out[-1] != "None" else {}


def shoot(page, folder: str | None, name: str) -> None:
	if folder:
		page.screenshot(path=f"{folder}/{name}", full_page=True)


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", required=True)
	parser.add_argument("--link", required=True, help="the personal link (its path and query)")
	parser.add_argument("--screenshots", help="save the filled form and the used link's page here")
	parser.add_argument(
		"--check", nargs=argparse.REMAINDER, required=True, help="command printing the saved answer"
	)
	args = parser.parse_args()
	link = args.url + args.link[args.link.index("/survey/") :]
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
		page = browser.new_page()
		errors: list[str] = []
		page.on("pageerror", lambda error: errors.append(str(error)))

		page.goto(link)
		page.wait_for_selector(".web-form .frappe-control[data-fieldname='score'] input")
		for question in QUESTIONS:
			expect(page.locator(".web-form [data-fieldname='answers']")).to_contain_text(question)
		page.fill(".frappe-control[data-fieldname='score'] input", "3")
		page.locator(
			".web-form [data-fieldname='answers'] .grid-row[data-idx='1'] [data-fieldname='answer']"
		).first.click()
		page.locator(
			".web-form [data-fieldname='answers'] .grid-row[data-idx='1'] textarea, "
			".web-form [data-fieldname='answers'] .grid-row[data-idx='1'] input[data-fieldname='answer']"
		).first.fill("Evening speed drops")
		page.fill(".frappe-control[data-fieldname='comment'] textarea", "Please call me back")
		shoot(page, args.screenshots, "i16-complaints-survey-form.png")
		page.click(".web-form-footer .submit-btn, .web-form-actions .submit-btn")
		page.wait_for_selector(".success-page:not(.hide)", timeout=15000)
		print("submitted:", page.locator(".success-message").inner_text())

		answer = saved_answer(args.check)
		print("saved:", answer)
		expected = {"score": 3, "channel": "Web", "comment": "Please call me back", "link_status": "Answered"}
		wrong = {key: answer.get(key) for key, value in expected.items() if answer.get(key) != value}
		if wrong or answer.get("answers", {}).get(QUESTIONS[0]) != "Evening speed drops":
			print("FAILED: the saved answer differs:", wrong or answer.get("answers"))
			return 1

		page.goto(link)
		expect(page.locator(".web-form-introduction")).to_contain_text("already been used")
		if page.locator(".web-form-footer .submit-btn").is_visible():
			print("FAILED: a used link still shows the form")
			return 1
		shoot(page, args.screenshots, "i16-complaints-survey-used-link.png")
		print("reused link:", page.locator(".web-form-introduction").inner_text())

		page.goto(args.url + "/survey/new?token=made-up&_lang=ru")
		expect(page.locator(".web-form-introduction")).to_contain_text("Ссылка на опрос недействительна")
		print("made-up link (ru):", page.locator(".web-form-introduction").inner_text())
		browser.close()
	if errors:
		print("FAILED: JavaScript errors:", errors)
		return 1
	print("OK")
	return 0


if __name__ == "__main__":
	sys.exit(main())
