# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""One employee's pay for one closed month under their role's scheme, approved by the Retention Head.

A draft is recomputed from the data on every save; once submitted it is what the employee earned and
what later statements take back from when a save did not stick.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, flt, getdate, nowdate

from churn_management.analytics.management.motivation import month_bounds, period_closed
from churn_management.management.doctype.motivation_statement.motivation_statement_compute import (
	compute_statement,
	insert_deferred_sources,
	schemes_for,
)

APPROVER_ROLE = "Retention Head"


class PeriodNotClosedError(frappe.ValidationError):
	pass


class DuplicateStatementError(frappe.ValidationError):
	pass


class NoSchemeError(frappe.ValidationError):
	pass


class NotApproverError(frappe.PermissionError):
	pass


class HRMSNotInstalledError(frappe.ValidationError):
	pass


class MotivationStatement(Document):
	def validate(self) -> None:
		self.set_period()
		self.validate_period_closed()
		self.validate_unique()
		self.set_employee()
		self.set_scheme()
		if self.docstatus == 0:
			compute_statement(self)

	def after_insert(self) -> None:
		insert_deferred_sources(self)

	def before_submit(self) -> None:
		self.validate_approver()
		self.approved_by = frappe.session.user
		self.approved_on = nowdate()

	def set_period(self) -> None:
		"""Whatever day was picked, the statement covers its whole month."""
		start, end = month_bounds(getdate(self.period_start))
		self.period_start, self.period_end = start, end

	def validate_period_closed(self) -> None:
		"""A month is paid once it has ended."""
		if period_closed(getdate(self.period_end), getdate(nowdate())):
			return
		frappe.throw(
			_("The month of {0} has not ended yet: a statement can be made from {1}.").format(
				frappe.format(self.period_start, "Date"), frappe.format(add_days(self.period_end, 1), "Date")
			),
			PeriodNotClosedError,
			title=_("Period not closed"),
		)

	def validate_unique(self) -> None:
		"""One statement per employee and month (cancel the old one to make it again)."""
		other = frappe.db.get_value(
			"Motivation Statement",
			{
				"employee_user": self.employee_user,
				"period_start": self.period_start,
				"docstatus": ("<", 2),
				"name": ("!=", self.name or ""),
			},
			"name",
		)
		if other:
			frappe.throw(
				_("{0} already has statement {1} for the month of {2}.").format(
					self.employee_name or self.employee_user, other, frappe.format(self.period_start, "Date")
				),
				DuplicateStatementError,
				title=_("Duplicate statement"),
			)

	def set_employee(self) -> None:
		"""The Employee whose user this is, where one exists."""
		if not self.employee:
			self.employee = frappe.db.get_value("Employee", {"user_id": self.employee_user}, "name")

	def set_scheme(self) -> None:
		"""The scheme of one of the employee's roles covering the month, in the statement's company."""
		schemes = schemes_for(self.employee_user, self.company, self.period_start, self.period_end)
		if self.scheme and self.scheme in schemes:
			return
		if len(schemes) == 1:
			self.scheme = schemes[0]
			return
		if not schemes:
			frappe.throw(
				_("No Motivation Scheme of {0}'s roles covers the month of {1} in {2}.").format(
					self.employee_name or self.employee_user,
					frappe.format(self.period_start, "Date"),
					self.company,
				),
				NoSchemeError,
				title=_("No scheme"),
			)
		frappe.throw(
			_("Several schemes cover {0} in that month ({1}): choose one.").format(
				self.employee_name or self.employee_user, ", ".join(schemes)
			),
			NoSchemeError,
			title=_("Several schemes"),
		)

	def validate_approver(self) -> None:
		"""Only the Retention Head approves pay."""
		if has_any_role((APPROVER_ROLE,)):
			return
		frappe.throw(
			_("Only the Retention Head approves a Motivation Statement."),
			NotApproverError,
			title=_("Not allowed"),
		)

	@frappe.whitelist()
	def make_additional_salary(self) -> str:
		"""HRMS only: a draft Additional Salary of the variable part for the employee's payroll."""
		if not has_any_role((APPROVER_ROLE, "HR Manager", "System Manager")):
			raise frappe.PermissionError
		if "hrms" not in frappe.get_installed_apps():
			frappe.throw(
				_("HRMS is not installed: pay the statement through your own payroll."),
				HRMSNotInstalledError,
				title=_("No HRMS"),
			)
		if self.docstatus != 1:
			frappe.throw(_("Submit the statement first."), title=_("Not approved"))
		if self.additional_salary and frappe.db.exists("Additional Salary", self.additional_salary):
			return self.additional_salary
		component = frappe.db.get_value("Motivation Scheme", self.scheme, "salary_component")
		if not self.employee or not component:
			frappe.throw(
				_("An Additional Salary needs the Employee and the scheme's Salary Component."),
				title=_("Missing data"),
			)
		salary = frappe.get_doc(
			{
				"doctype": "Additional Salary",
				"employee": self.employee,
				"company": self.company,
				"salary_component": component,
				"amount": flt(self.variable_amount),
				"payroll_date": self.period_end,
				"ref_doctype": self.doctype,
				"ref_docname": self.name,
			}
		).insert()
		self.db_set("additional_salary", salary.name)
		return salary.name


def has_any_role(roles: tuple[str, ...]) -> bool:
	"""The session user holds one of the roles (Administrator always; unlike frappe.only_for, also in tests)."""
	return frappe.session.user == "Administrator" or not set(roles).isdisjoint(frappe.get_roles())
