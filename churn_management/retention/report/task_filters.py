# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The filters the retention reports share: a manager sees their own tasks, and the task's columns
that the company, manager, reason group and task type filters match."""

import frappe

from churn_management.retention.permissions.retention_task import _scope


def own_tasks_for_manager(filters: frappe._dict) -> frappe._dict:
	"""The filters, narrowed to the user's own tasks when they see only the tasks assigned to them."""
	sees_all, sees_assigned, _desk = _scope(frappe.session.user)
	if not sees_all and sees_assigned:
		filters.manager = frappe.session.user
	return filters


def task_filter_columns(task) -> dict:
	"""The Retention Task column each shared filter matches."""
	return {
		"company": task.company,
		"manager": task.assignee,
		"reason_group": task.reason_group,
		"task_type": task.task_type,
	}
