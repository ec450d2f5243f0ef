# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Reports, workspaces and number cards follow their files into the app's new modules, and whoever
saw the one module before sees all of them (module profiles and users' blocked modules)."""

from churn_management.patches.v1.module_split import block_modules_like_the_old_one, move_standard_documents


def execute() -> None:
	move_standard_documents()
	block_modules_like_the_old_one()
