# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The reason classifier: a tree of reason groups and leaf reasons (DOMAIN.md §2).

Every reason carries whether churn for it is managed, the customer type it applies to, the
target share of total churn it should stay under, whether a competitor must be named, and the
retention methods that fit it with a planned conversion for each.
"""

import frappe
from frappe import _
from frappe.utils import flt
from frappe.utils.nestedset import NestedSet

ROOT_REASON = "All Churn Reasons"


class ReasonNotLeafError(frappe.ValidationError):
	pass


class ParentNotGroupError(frappe.ValidationError):
	pass


class TargetShareError(frappe.ValidationError):
	pass


class ReasonMismatchError(frappe.ValidationError):
	pass


class ReasonInUseError(frappe.ValidationError):
	pass


REASON_USERS = ("Churn Record", "Termination Application")


class ChurnReason(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.churn_management.doctype.churn_reason_method.churn_reason_method import (
			ChurnReasonMethod,
		)

		churn_kind: DF.Literal["Voluntary", "Involuntary", "Either"]
		customer_type: DF.Literal["Both", "B2B", "B2C"]
		description: DF.SmallText | None
		is_group: DF.Check
		is_non_payment: DF.Check
		lft: DF.Int
		managed: DF.Check
		methods: DF.Table[ChurnReasonMethod]
		old_parent: DF.Link | None
		parent_churn_reason: DF.Link | None
		preset_key: DF.Data | None
		reason_name: DF.Data
		requires_competitor: DF.Check
		rgt: DF.Int
		speech_module: DF.Link | None
		target_share: DF.Percent
	# end: auto-generated types

	nsm_parent_field = "parent_churn_reason"

	def validate(self):
		self.validate_parent_is_group()
		self.validate_target_share()
		self.validate_methods()
		self.validate_group_fields()
		self.validate_group_not_in_use()
		self.set_non_payment_kind()

	def on_update(self):
		super().on_update()
		self.validate_one_root()

	def validate_parent_is_group(self):
		"""Reasons hang under groups; a leaf cannot hold other reasons."""
		if not self.parent_churn_reason:
			return
		if not frappe.db.get_value("Churn Reason", self.parent_churn_reason, "is_group"):
			frappe.throw(
				_("{0} is a reason, not a reason group: choose a group as the parent.").format(
					frappe.bold(self.parent_churn_reason)
				),
				ParentNotGroupError,
				title=_("Parent must be a group"),
			)

	def validate_target_share(self):
		if not 0 <= flt(self.target_share) <= 100:
			frappe.throw(_("Target share must be between 0 and 100 %."), TargetShareError)

	def validate_methods(self):
		"""Each method once per reason, with a conversion between 0 and 100 %."""
		seen = set()
		for row in self.methods:
			if row.retention_method in seen:
				frappe.throw(
					_("Row {0}: retention method {1} is listed twice.").format(
						row.idx, frappe.bold(row.retention_method)
					)
				)
			seen.add(row.retention_method)
			if not 0 <= flt(row.planned_conversion) <= 100:
				frappe.throw(_("Row {0}: planned conversion must be between 0 and 100 %.").format(row.idx))

	def validate_group_fields(self):
		"""A group is only a heading: leaf-only settings are cleared on it."""
		if not self.is_group:
			return
		self.requires_competitor = 0
		self.is_non_payment = 0

	def validate_group_not_in_use(self):
		"""A reason churn records or applications already carry cannot become a heading."""
		if not self.is_group or self.is_new() or not self.has_value_changed("is_group"):
			return
		for doctype in REASON_USERS:
			if frappe.db.exists(doctype, {"churn_reason": self.name}):
				frappe.throw(
					_("Reason {0} is used by {1}; it cannot become a group.").format(
						frappe.bold(self.name), _(doctype)
					),
					ReasonInUseError,
					title=_("Reason in use"),
				)

	def set_non_payment_kind(self):
		"""The non-payment reason is involuntary churn by definition."""
		if self.is_non_payment:
			self.churn_kind = "Involuntary"


def validate_leaf_reason(reason: str | None, error_title: str | None = None) -> None:
	"""Raise ReasonNotLeafError unless the reason is a leaf of the classifier."""
	if not reason:
		return
	if frappe.db.get_value("Churn Reason", reason, "is_group"):
		frappe.throw(
			_(
				"{0} is a reason group. Choose one of its reasons: the true reason found with the customer."
			).format(frappe.bold(reason)),
			ReasonNotLeafError,
			title=error_title or _("Choose a reason, not a group"),
		)


def validate_reason_fits(reason: str | None, customer_type: str | None, churn_kind: str | None) -> None:
	"""Refuse a reason meant for another customer type or for the other kind of churn."""
	if not reason:
		return
	values = frappe.db.get_value("Churn Reason", reason, ["customer_type", "churn_kind"], as_dict=True)
	if not values:
		return
	if customer_type and values.customer_type not in (None, "", "Both", customer_type):
		frappe.throw(
			_("Reason {0} applies to {1} customers only; this customer is {2}.").format(
				frappe.bold(reason), values.customer_type, customer_type
			),
			ReasonMismatchError,
			title=_("Reason does not fit the customer"),
		)
	kind = values.churn_kind or "Voluntary"
	if churn_kind and kind != "Either" and kind != churn_kind:
		message = (
			_("Reason {0} is non-payment: a voluntary churn cannot carry it.")
			if kind == "Involuntary"
			else _(
				"Reason {0} is a reason the customer chooses: an involuntary (non-payment) churn cannot carry it."
			)
		)
		frappe.throw(
			message.format(frappe.bold(reason)), ReasonMismatchError, title=_("Reason does not fit the churn")
		)
