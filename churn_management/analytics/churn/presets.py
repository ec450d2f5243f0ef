"""The classifier presets shipped for each vertical (churn_management/presets/*.json).

A preset holds reason groups and reasons (managed flag, customer type, target share, fitting
retention methods, customers' typical words), retention methods with their offers and costs,
a speech module per group, competitors, and for fitness clubs the member lifecycle standard.
The Frappe app loads presets into DocTypes; the sample generator draws its reasons from them.
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

VERTICALS = ("security", "isp", "fitness")
LANGUAGES = ("en", "ru")


def load_preset(vertical: str, language: str = "en") -> dict:
	"""The preset of a vertical in a language (English or Russian)."""
	if vertical not in VERTICALS:
		raise ValueError(f"unknown vertical {vertical!r}; choose one of {', '.join(VERTICALS)}")
	if language not in LANGUAGES:
		raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
	if language not in available_languages(vertical):
		raise ValueError(f"the {vertical} preset is not available in {language!r}")
	return json.loads(_preset_file(vertical, language).read_text(encoding="utf-8"))


def _preset_file(vertical: str, language: str):
	name = f"{vertical}.json" if language == "en" else f"{vertical}.{language}.json"
	return resources.files("churn_management").joinpath("presets", name)


def available_languages(vertical: str) -> list[str]:
	"""The languages a vertical's preset is shipped in."""
	return [language for language in LANGUAGES if _preset_file(vertical, language).is_file()]


def reason_rows(preset: dict) -> list[dict]:
	"""Every leaf reason of a preset with its group's name."""
	return [
		{**reason, "group_name": group["group_name"]}
		for group in preset["groups"]
		for reason in group["reasons"]
	]


def classifier_table(preset: dict) -> pd.DataFrame:
	"""The preset as the core's ``reasons`` table."""
	rows = reason_rows(preset)
	return pd.DataFrame(
		{
			"group": [r["group_name"] for r in rows],
			"reason": [r["reason_name"] for r in rows],
			"managed": ["yes" if r["managed"] else "no" for r in rows],
			"target_share": [r["target_share"] for r in rows],
			"customer_type": [r["customer_type"] for r in rows],
		}
	)
