# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The Churn Self-Diagnosis as the workbook `churn-analytics diagnose` writes, in the user's language."""

import tempfile
from pathlib import Path

import frappe
from frappe import _

from churn_management.analytics.exports.workbook import save_workbook
from churn_management.management.report_utils import core_language
from churn_management.management.site_data import ManagementFilterError, report_filters, site_diagnosis

REPORT = "Churn Self-Diagnosis"


@frappe.whitelist()
@frappe.read_only()
def download_workbook(filters: str | dict | None = None) -> None:
	"""Send the diagnosis workbook for the report's filters to a user who may open the report."""
	check_report_permission()
	checked = report_filters(frappe.parse_json(filters) if isinstance(filters, str) else filters)
	result = site_diagnosis(checked)
	if result is None:
		frappe.throw(_("No customers of the company match these filters."), ManagementFilterError)
	frappe.response.filename = _("churn-diagnosis-{0}-{1}.xlsx").format(
		frappe.scrub(checked.company), checked.to_date.isoformat()
	)
	frappe.response.filecontent = workbook_bytes(result)
	frappe.response.type = "binary"


def workbook_bytes(result) -> bytes:
	"""The core's workbook of a diagnosis, in the user's language, as bytes."""
	with tempfile.TemporaryDirectory() as folder:
		path = Path(folder) / "diagnosis.xlsx"
		save_workbook(result, path, core_language())
		return path.read_bytes()


def check_report_permission() -> None:
	if not frappe.get_doc("Report", REPORT).is_permitted():
		frappe.throw(_("You may not open the report {0}.").format(_(REPORT)), frappe.PermissionError)
