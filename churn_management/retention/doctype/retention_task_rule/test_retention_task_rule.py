# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe

from churn_management.retention.doctype.retention_task_rule.retention_task_rule import TaskRuleError
from churn_management.tests.retention_utils import (
	ANALYST,
	HEAD,
	MANAGER,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
)
from churn_management.tests.utils import TEST_IGNORE, make_reason, make_reason_group

test_ignore = RETENTION_TEST_IGNORE


def make_rule(save: bool = True, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Retention Task Rule",
			"rule_name": values.pop("rule_name", f"_Test Rule {frappe.generate_hash(length=6)}"),
			"trigger": "Churn record created",
			"task_type": "Win-back",
			"delay_days": 0,
			"due_days": 3,
			"max_attempts": 3,
			**values,
		}
	)
	if save:
		doc.insert(ignore_permissions=True)
	return doc


class TestRetentionTaskRule(RetentionTestCase):
	def test_a_negative_delay_is_refused(self):
		self.assertRaises(TaskRuleError, make_rule(save=False, delay_days=-1).insert)

	def test_n_day_triggers_need_n(self):
		self.assertRaises(TaskRuleError, make_rule(save=False, trigger="Contract ends in N days").insert)
		make_rule(trigger="Contract ends in N days", days=30, task_type="Renewal")

	def test_the_reason_filter_takes_a_group(self):
		reason = make_reason("_Test Rule leaf reason").name
		self.assertRaises(TaskRuleError, make_rule(save=False, reason_group=reason).insert)
		make_rule(reason_group=make_reason_group("_Test Group Rules").name)

	def test_at_least_one_attempt(self):
		self.assertRaises(TaskRuleError, make_rule(save=False, max_attempts=0).insert)

	def test_only_the_head_edits_rules(self):
		frappe.set_user(HEAD)
		rule = make_rule(save=False)
		rule.insert()
		self.assertFalse(frappe.has_permission("Retention Task Rule", "write", rule.name, user=MANAGER))
		self.assertTrue(frappe.has_permission("Retention Task Rule", "read", rule.name, user=ANALYST))
		self.assertFalse(frappe.has_permission("Retention Task Rule", "create", user=ANALYST))
