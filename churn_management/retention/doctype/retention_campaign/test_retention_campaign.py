# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, nowdate

from churn_management.retention.doctype.retention_campaign.retention_campaign import CampaignError
from churn_management.tests.retention_utils import (
	ANALYST,
	HEAD,
	MANAGER,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	add_attempt,
	make_churn_record,
)
from churn_management.tests.utils import TEST_IGNORE, get_company, make_reason, make_retention_method

test_ignore = RETENTION_TEST_IGNORE


def make_campaign(save: bool = True, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Retention Campaign",
			"campaign_name": values.pop("campaign_name", f"_Test Campaign {frappe.generate_hash(length=6)}"),
			"company": get_company(),
			"task_type": "Win-back",
			"churned_from": add_days(nowdate(), -60),
			"churned_to": nowdate(),
			"sample_size": 4,
			"seed": 42,
			**values,
		}
	)
	if save:
		doc.insert(ignore_permissions=True)
	return doc


class TestRetentionCampaign(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.reason = make_reason("_Test Campaign reason", managed=1).name
		cls.discount = make_retention_method("_Test Campaign discount").name
		cls.call = make_retention_method(
			"_Test Campaign personal call", offer_type="Personal Call", cost=0
		).name
		cls.records = [make_churn_record(churn_reason=cls.reason, days_ago=10) for _ in range(6)]

	def campaign(self, **values):
		return make_campaign(
			reasons=[{"churn_reason": self.reason}],
			methods=[{"retention_method": self.discount}, {"retention_method": self.call}],
			**values,
		)

	def test_a_sample_split_among_methods_is_measured_and_written_into_the_classifier(self):
		campaign = self.campaign()
		frappe.set_user(HEAD)
		campaign = frappe.get_doc("Retention Campaign", campaign.name)
		self.assertEqual(campaign.create_tasks(), 4)
		self.assertRaises(CampaignError, campaign.create_tasks)
		frappe.set_user("Administrator")
		tasks = frappe.get_all(
			"Retention Task", filters={"retention_campaign": campaign.name}, fields=["name", "planned_method"]
		)
		self.assertEqual(sorted(t.planned_method for t in tasks).count(self.discount), 2)
		# discount: both return; personal call: one returns, one refuses
		refused_one = False
		for row in tasks:
			task = add_attempt(frappe.get_doc("Retention Task", row.name))
			if row.planned_method == self.call and not refused_one:
				task.outcome = "Refused"
				refused_one = True
			else:
				task.update({"outcome": "Returned", "retention_method": row.planned_method})
			task.save()
		frappe.set_user(HEAD)
		campaign.reload()
		campaign.measure()
		by_method = {row.retention_method: row for row in campaign.methods}
		self.assertEqual((by_method[self.discount].tasks, by_method[self.discount].conversion), (2, 100))
		self.assertEqual((by_method[self.call].returned, by_method[self.call].conversion), (1, 50))
		self.assertAlmostEqual(by_method[self.call].conversion_low, 9.45, places=1)
		self.assertEqual(campaign.status, "Completed")
		self.assertEqual(len(campaign.results), 2)
		frappe.set_user("Administrator")
		campaign.apply_to_classifier()
		reason = frappe.get_doc("Churn Reason", self.reason)
		planned = {row.retention_method: row.planned_conversion for row in reason.methods}
		self.assertEqual(planned, {self.discount: 100, self.call: 50})

	def test_the_split_is_reproducible(self):
		first = make_campaign(
			campaign_name="_Test Campaign seed",
			reasons=[{"churn_reason": self.reason}],
			methods=[{"retention_method": self.discount}, {"retention_method": self.call}],
		)
		self.assertEqual(first.seed, 42)
		candidates = first.candidates()["customer"].tolist()
		first.create_tasks()
		split = dict(
			frappe.get_all(
				"Retention Task",
				filters={"retention_campaign": first.name},
				fields=["customer", "planned_method"],
				as_list=True,
			)
		)
		from churn_management.analytics.retention.work import sample_customers, split_methods

		customers = sample_customers(list(reversed(candidates)), 4, 42)
		expected = split_methods(customers, [self.discount, self.call], 42)
		self.assertEqual(split, dict(zip(expected["customer"], expected["method"], strict=True)))

	def test_bad_input(self):
		self.assertRaises(CampaignError, make_campaign(save=False, methods=[]).insert)
		self.assertRaises(
			CampaignError,
			make_campaign(save=False, methods=[{"retention_method": self.call}], sample_size=0).insert,
		)
		self.assertRaises(
			CampaignError,
			make_campaign(
				save=False,
				methods=[{"retention_method": self.call}],
				churned_from=nowdate(),
				churned_to=add_days(nowdate(), -1),
			).insert,
		)
		self.assertRaises(
			CampaignError,
			make_campaign(
				save=False, methods=[{"retention_method": self.call}, {"retention_method": self.call}]
			).insert,
		)

	def test_roles(self):
		campaign = self.campaign()
		self.assertFalse(frappe.has_permission("Retention Campaign", "write", campaign.name, user=MANAGER))
		self.assertTrue(frappe.has_permission("Retention Campaign", "read", campaign.name, user=ANALYST))
		frappe.set_user(MANAGER)
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Retention Campaign", campaign.name).create_tasks
		)
