# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A role's pay for a period: a fixed part and KPI components paid in tiers (see analytics.management.motivation).

One role has one scheme at a time in a company, so every month of an employee's pay is read from exactly
one scheme.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from churn_management.analytics.management.motivation import TIER_COLUMNS, check_tiers


class NegativeRateError(frappe.ValidationError):
	pass


class InvalidTierError(frappe.ValidationError):
	pass


class OverlappingTiersError(frappe.ValidationError):
	pass


class OverlappingSchemeError(frappe.ValidationError):
	pass


class MotivationScheme(Document):
	def validate(self) -> None:
		self.validate_dates()
		self.validate_components()
		self.validate_no_overlapping_scheme()

	def validate_dates(self) -> None:
		"""A scheme ends after it starts."""
		if self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(
				_("Valid To ({0}) comes before Valid From ({1}).").format(self.valid_to, self.valid_from),
				InvalidTierError,
				title=_("Motivation Scheme"),
			)

	def validate_components(self) -> None:
		"""Rates are never negative and the bands of one component never overlap."""
		problems = check_tiers(self.tiers_frame())
		if not problems:
			return
		problem = problems[0]
		row = self.components[problem.row]
		kpi = _(row.kpi)
		if problem.kind == "negative":
			frappe.throw(
				_("Row {0}: {1} has a negative rate or threshold; pay is never negative.").format(
					row.idx, kpi
				),
				NegativeRateError,
				title=_("Negative rate"),
			)
		if problem.kind == "overlap":
			other = self.components[problem.other_row]
			frappe.throw(
				_("Row {0} overlaps row {1}: the bands of {2} ({3}) must not share a value.").format(
					row.idx, other.idx, kpi, _(row.rate_type)
				),
				OverlappingTiersError,
				title=_("Overlapping thresholds"),
			)
		if problem.kind == "order":
			frappe.throw(
				_("Row {0}: the band of {1} ends ({2}) before it starts ({3}).").format(
					row.idx, kpi, row.threshold_to, row.threshold_from
				),
				InvalidTierError,
				title=_("Motivation Scheme"),
			)
		frappe.throw(
			_("Row {0}: a percent of amount cannot exceed 100 % ({1}).").format(row.idx, kpi),
			InvalidTierError,
			title=_("Motivation Scheme"),
		)

	def validate_no_overlapping_scheme(self) -> None:
		"""One scheme per role and company at a time."""
		scheme = frappe.qb.DocType("Motivation Scheme")
		query = (
			frappe.qb.from_(scheme)
			.select(scheme.name, scheme.valid_from, scheme.valid_to)
			.where(
				(scheme.role == self.role)
				& (scheme.company == self.company)
				& (scheme.name != (self.name or ""))
				& ((scheme.valid_to.isnull()) | (scheme.valid_to >= self.valid_from))
			)
		)
		if self.valid_to:
			query = query.where(scheme.valid_from <= self.valid_to)
		other = query.limit(1).run(as_dict=True)
		if other:
			other = other[0]
			frappe.throw(
				_(
					"Scheme {0} already pays the role {1} from {2} to {3}; a role has one scheme at a time. "
					"End that scheme first or change the dates."
				).format(
					other.name,
					_(self.role),
					frappe.format(other.valid_from, "Date"),
					frappe.format(other.valid_to, "Date") if other.valid_to else _("further notice"),
				),
				OverlappingSchemeError,
				title=_("Overlapping schemes"),
			)

	def tiers_frame(self) -> pd.DataFrame:
		"""The components' tiers as the core reads them, in row order."""
		return pd.DataFrame(
			[[row.get(c) for c in TIER_COLUMNS] for row in self.components], columns=TIER_COLUMNS
		)
