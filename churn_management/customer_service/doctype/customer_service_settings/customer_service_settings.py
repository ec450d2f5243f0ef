# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The coverage area and the limits of the customer applications (DOMAIN.md §4)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt
from frappe.utils.nestedset import get_descendants_of

# The unmanaged "moved out of coverage" reason of each vertical's classifier preset, by its stable key
OUT_OF_COVERAGE_KEYS = (
	"isp:reason:moved-to-a-district-without-our-network",
	"security:reason:moved-out-of-the-rapid-response-area",
	"fitness:reason:moved-to-another-city",
)


class CustomerServiceSettingsError(frappe.ValidationError):
	pass


class CustomerServiceSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.customer_service.doctype.customer_service_territory.customer_service_territory import (
			CustomerServiceTerritory,
		)

		coverage_territories: DF.Table[CustomerServiceTerritory]
		downgrade_pre_churn_days: DF.Int
		enable_daily_job: DF.Check
		max_concession_months: DF.Int
		out_of_coverage_reason: DF.Link | None
		relocation_fee_amount: DF.Currency
		relocation_fee_item: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_out_of_coverage_reason()
		self.validate_fee()

	def validate_out_of_coverage_reason(self):
		if not self.out_of_coverage_reason:
			return
		values = frappe.db.get_value(
			"Churn Reason", self.out_of_coverage_reason, ["is_group", "managed"], as_dict=True
		)
		if values.is_group or values.managed:
			frappe.throw(
				_("The reason for a move out of the coverage area must be an unmanaged reason, not a group."),
				CustomerServiceSettingsError,
				title=_("Check the reason"),
			)

	def validate_fee(self):
		if flt(self.relocation_fee_amount) > 0 and not self.relocation_fee_item:
			frappe.throw(
				_("A transfer fee needs the item to bill it with."),
				CustomerServiceSettingsError,
				title=_("Check the transfer fee"),
			)


def get_settings():
	return frappe.get_cached_doc("Customer Service Settings")


def covered_territories() -> set[str]:
	"""The territories of the coverage area, with every territory under them."""
	covered = set()
	for row in get_settings().coverage_territories:
		covered.add(row.territory)
		covered.update(get_descendants_of("Territory", row.territory, ignore_permissions=True))
	return covered


def out_of_coverage_reason() -> str | None:
	"""The reason set in the settings, else the loaded preset's unmanaged "moved out of coverage" reason."""
	chosen = get_settings().out_of_coverage_reason
	if chosen:
		return chosen
	reason = frappe.qb.DocType("Churn Reason")
	rows = (
		frappe.qb.from_(reason)
		.select(reason.name, reason.preset_key)
		.where(reason.preset_key.isin(OUT_OF_COVERAGE_KEYS) & (reason.is_group == 0) & (reason.managed == 0))
		.run()
	)
	by_key = {key: name for name, key in rows}
	return next((by_key[key] for key in OUT_OF_COVERAGE_KEYS if key in by_key), None)


def max_concession_months() -> int:
	return cint(get_settings().max_concession_months)


def downgrade_pre_churn_days() -> int:
	return cint(get_settings().downgrade_pre_churn_days)
