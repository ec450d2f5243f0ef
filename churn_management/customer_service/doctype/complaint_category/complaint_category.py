# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What a complaint (an ERPNext Issue) is about: a small tree whose top levels are the classifier's reason groups.

A category says after how many days an unresolved complaint makes the customer pre-churn; a category without
days takes its parent's.
"""

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils.nestedset import NestedSet

ROOT_CATEGORY = "All Complaint Categories"


class ComplaintCategoryError(frappe.ValidationError):
	pass


class ComplaintCategory(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_complaint_category: DF.Link | None
		preset_key: DF.Data | None
		reason_group: DF.Link | None
		rgt: DF.Int
		unresolved_days: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_complaint_category"

	def validate(self):
		self.validate_parent_is_group()
		self.validate_days()
		self.validate_reason_group()
		self.validate_one_root()

	def validate_parent_is_group(self):
		if self.parent_complaint_category and not frappe.db.get_value(
			"Complaint Category", self.parent_complaint_category, "is_group"
		):
			frappe.throw(
				_("{0} is not a group: only groups hold categories.").format(
					frappe.bold(self.parent_complaint_category)
				),
				ComplaintCategoryError,
			)

	def validate_days(self):
		if cint(self.unresolved_days) < 0:
			frappe.throw(_("Days until escalation cannot be negative."), ComplaintCategoryError)

	def validate_reason_group(self):
		if self.reason_group and not frappe.db.get_value("Churn Reason", self.reason_group, "is_group"):
			frappe.throw(
				_("{0} is a reason, not a reason group.").format(frappe.bold(self.reason_group)),
				ComplaintCategoryError,
			)

	def validate_one_root(self):
		if not self.parent_complaint_category and self.name != ROOT_CATEGORY:
			frappe.throw(
				_("A category needs a parent; the top of the tree is {0}.").format(
					frappe.bold(_(ROOT_CATEGORY))
				),
				ComplaintCategoryError,
			)
