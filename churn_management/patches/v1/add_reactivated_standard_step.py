# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The lifecycle standards get a step for every stage that has a task type (Reactivated had none)."""

from churn_management.clubs.doctype.lifecycle_standard.lifecycle_standard import (
	add_missing_task_steps,
)


def execute() -> None:
	add_missing_task_steps()
