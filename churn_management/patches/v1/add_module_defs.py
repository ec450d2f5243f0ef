# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The app's modules get their Module Def before the DocTypes move into them (migrate makes none)."""

from churn_management.patches.v1.module_split import ensure_module_defs


def execute() -> None:
	ensure_module_defs()
