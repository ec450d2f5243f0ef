# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Costs and switches of debt work: staff cost per minute, the learning window and the default recovery
curve used where the history is too thin, the write-off account."""

import frappe
from frappe import _
from frappe.model.document import Document

from churn_management.analytics.debt.collection import DEFAULT_RECOVERY_CURVE


class DefaultCurveError(frappe.ValidationError):
	pass


class DebtCollectionSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.collections.doctype.debt_recovery_curve_point.debt_recovery_curve_point import (
			DebtRecoveryCurvePoint,
		)

		block_subscriptions: DF.Check
		cost_per_minute: DF.Currency
		default_curve: DF.Table[DebtRecoveryCurvePoint]
		enable_daily_job: DF.Check
		follow_days: DF.Int
		history_months: DF.Int
		last_run_on: DF.Datetime | None
		last_run_summary: DF.SmallText | None
		min_history_invoices: DF.Int
		write_off_account: DF.Link | None
	# end: auto-generated types

	def onload(self):
		"""The form always states the curve in use: the built-in one until someone sets their own."""
		if not self.default_curve:
			fill_default_curve(self)

	def validate(self):
		self.validate_default_curve()

	def validate_default_curve(self):
		"""Each point a probability of 0-100 %, one point per day, never rising with age."""
		points = sorted(self.default_curve, key=lambda row: row.age_from or 0)
		for before, after in zip([None, *points], points, strict=False):
			if not 0 <= (after.probability or 0) <= 100:
				frappe.throw(
					_("Row {0}: a recovery probability lies between 0 and 100 %.").format(after.idx),
					DefaultCurveError,
					title=_("Default recovery curve"),
				)
			if before and (
				before.age_from == after.age_from or (after.probability or 0) > (before.probability or 0)
			):
				frappe.throw(
					_(
						"Row {0}: each day overdue appears once and a debt never gets likelier to be paid as it ages (day {1}: {2} %)."
					).format(after.idx, after.age_from, after.probability),
					DefaultCurveError,
					title=_("Default recovery curve"),
				)
		for idx, row in enumerate(points, start=1):
			row.idx = idx


def fill_default_curve(settings) -> None:
	"""The built-in default curve, as rows of the settings."""
	settings.set(
		"default_curve",
		[{"age_from": age, "probability": probability} for age, probability in DEFAULT_RECOVERY_CURVE],
	)
