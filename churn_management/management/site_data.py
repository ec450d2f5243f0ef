# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The site's churn data as the analytics core's input tables, read set-based for the management reports.

One reader for every management report and for the export the command-line tool reads: customers,
subscriptions, invoices, churn records and the classifier are read with a few frappe.qb queries
(no query per customer) and turned into the core's tables by
:mod:`churn_management.analytics.management.site_tables`. Fully paid invoices are not read: they
change no figure (only what was unpaid as of the date does). The filters (company, period,
territory, customer type, tariff) are checked first, each bad one with a translated message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import getdate, nowdate

from churn_management.analytics.churn.diagnosis import Diagnosis, diagnose
from churn_management.analytics.exports.schema import Dataset, InputError, prepare
from churn_management.analytics.management.churn_reports import Overview, churn_overview
from churn_management.analytics.management.site_tables import (
	INVOICE_COLUMNS,
	REASON_COLUMNS,
	RECORD_COLUMNS,
	SUBSCRIPTION_COLUMNS,
	customers_table,
	invoices_table,
	only_tariff,
	reasons_table,
	register_profiles,
	subscription_profiles,
	terminations_table,
)
from churn_management.churn_management.doctype.churn_settings.churn_settings import get_thresholds
from churn_management.management.lifetime_factors import lifetime_factors
from churn_management.utils.report_filters import company_and_period

CUSTOMER_TYPES = {"B2B": ("Company", "Partnership", "Proprietorship"), "B2C": ("Individual",)}
RATES, SEGMENTS, FACTORS = "rates", "segments", "factors"
CHUNK = 1000


class ManagementFilterError(frappe.ValidationError):
	"""A management report's filter that cannot be used."""


@dataclass(frozen=True)
class ReportFilters:
	"""The checked filters every management report shares."""

	company: str
	from_date: date
	to_date: date
	territory: str | None = None
	customer_type: str | None = None
	tariff: str | None = None

	@property
	def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
		return pd.Timestamp(self.from_date), pd.Timestamp(self.to_date)


def report_filters(filters: dict | None) -> ReportFilters:
	"""The filters of a management report, checked; a bad one stops the report with a clear message."""
	filters = company_and_period(filters)
	checked = ReportFilters(
		company=filters.company,
		from_date=filters.from_date,
		to_date=filters.to_date,
		territory=filters.territory or None,
		customer_type=filters.customer_type or None,
		tariff=filters.tariff or None,
	)
	validate_company(checked.company)
	validate_period(checked.from_date, checked.to_date)
	validate_links(checked)
	return checked


def validate_company(company: str | None) -> None:
	if not company:
		frappe.throw(_("Choose a company for the report."), ManagementFilterError, title=_("Company missing"))
	if not frappe.db.exists("Company", company):
		frappe.throw(_("Company {0} does not exist.").format(company), ManagementFilterError)
	allowed = frappe.permissions.get_user_permissions(frappe.session.user).get("Company")
	if allowed and company not in {entry.get("doc") for entry in allowed}:
		frappe.throw(
			_("You may not see the figures of company {0}.").format(company),
			frappe.PermissionError,
		)


def validate_period(from_date: date, to_date: date) -> None:
	if from_date > to_date:
		frappe.throw(
			_("The period starts on {0}, after its end on {1}.").format(
				frappe.format(from_date, "Date"), frappe.format(to_date, "Date")
			),
			ManagementFilterError,
			title=_("Wrong period"),
		)
	if to_date > getdate(nowdate()):
		frappe.throw(
			_("The period ends on {0}, which has not come yet: churn is known up to today.").format(
				frappe.format(to_date, "Date")
			),
			ManagementFilterError,
			title=_("Wrong period"),
		)


def validate_links(filters: ReportFilters) -> None:
	if filters.customer_type and filters.customer_type not in CUSTOMER_TYPES:
		frappe.throw(
			_("Customer type {0} is unknown: choose B2B or B2C.").format(filters.customer_type),
			ManagementFilterError,
		)
	if filters.territory and not frappe.db.exists("Territory", filters.territory):
		frappe.throw(_("Territory {0} does not exist.").format(filters.territory), ManagementFilterError)
	if filters.tariff and not frappe.db.exists("Subscription Plan", filters.tariff):
		frappe.throw(_("Tariff {0} does not exist.").format(filters.tariff), ManagementFilterError)


def site_tables(filters: ReportFilters, detail: str = SEGMENTS) -> dict[str, pd.DataFrame]:
	"""The core's four input tables for the filters, with the customer columns the detail asks for.

	RATES: no customer columns beyond the dates, tariff and fee (churn and reasons need no more);
	SEGMENTS: customer type and territory too (the diagnosis compares lifetimes by them);
	FACTORS: every factor lifetime may depend on (sales channel, contract type, complaints, outages).
	"""
	as_of = pd.Timestamp(filters.to_date)
	customers = read_customers(filters, detail)
	subscriptions = read_subscriptions(filters.company)
	records = read_churn_records(filters.company)
	unsubscribed = customers.loc[~customers["customer"].isin(subscriptions["customer"]), "customer"]
	first_invoices = read_first_invoices(filters.company, unsubscribed.tolist())
	in_company = set(subscriptions["customer"]) | set(first_invoices.index) | set(records["customer"])
	customers = customers[customers["customer"].isin(in_company)]
	started = set(subscriptions["customer"]) | set(first_invoices.index)
	customers = customers.assign(creation=customers["customer"].map(read_creation(records, started)))
	register = register_profiles(records, as_of)
	extra = lifetime_factors(customers, filters.company, filters.to_date) if detail == FACTORS else None
	table = customers_table(customers, subscription_profiles(subscriptions), first_invoices, register, extra)
	table = only_tariff(table, filters.tariff)
	kept = table["customer_id"]
	invoices = invoices_table(read_invoices(filters.company, as_of))
	terminations = terminations_table(register)
	return {
		"customers": table,
		"invoices": invoices[invoices["customer_id"].isin(kept)].reset_index(drop=True),
		"terminations": terminations[terminations["customer_id"].isin(kept)].reset_index(drop=True),
		"reasons": reasons_table(read_reasons()),
	}


def site_dataset(filters: ReportFilters, detail: str = SEGMENTS) -> Dataset | None:
	"""The checked dataset the core analyses; None when no customer matches the filters."""
	tables = site_tables(filters, detail)
	if tables["customers"].empty:
		return None
	try:
		return prepare(tables, pd.Timestamp(filters.to_date))
	except InputError as error:
		frappe.throw(_("The site's data cannot be analysed: {0}").format(error), ManagementFilterError)


def site_overview(filters: ReportFilters) -> Overview | None:
	"""States, monthly churn and reasons of the period for the quick reports."""
	data = site_dataset(filters, RATES)
	if data is None:
		return None
	return churn_overview(data, filters.to_date, get_thresholds(), filters.period)


def site_diagnosis(filters: ReportFilters, segment_by: list[str] | None = None) -> Diagnosis | None:
	"""The whole diagnosis of the core on the site's data, as `churn-analytics diagnose` makes it."""
	data = site_dataset(filters, FACTORS if segment_by else SEGMENTS)
	if data is None:
		return None
	customers = data.customers
	present = [c for c in segment_by or [] if c in customers and customers[c].notna().any()] or None
	return diagnose(data, filters.to_date, present, get_thresholds(), period=filters.period)


def export_tables(filters: ReportFilters, folder: str | Path) -> list[Path]:
	"""Write the core's input tables as the CSV files `churn-analytics diagnose` reads."""
	folder = Path(folder)
	paths = []
	for name, frame in site_tables(filters).items():
		path = folder / f"{name}.csv"
		frame.to_csv(path, index=False, date_format="%Y-%m-%d")
		paths.append(path)
	return paths


def read_customers(filters: ReportFilters, detail: str = SEGMENTS) -> pd.DataFrame:
	"""Every customer of the territory (and below it) and type, with the columns the detail asks for."""
	customer = frappe.qb.DocType("Customer")
	columns = {"customer": customer.name}
	if detail != RATES:
		columns.update(customer_type=customer.customer_type, territory=customer.territory)
	if detail == FACTORS:
		columns["sales_channel"] = customer.default_sales_partner
	query = frappe.qb.from_(customer).select(*columns.values())
	if filters.territory:
		query = query.where(customer.territory.isin(territory_and_below(filters.territory)))
	if filters.customer_type:
		query = query.where(customer.customer_type.isin(CUSTOMER_TYPES[filters.customer_type]))
	return pd.DataFrame(query.run(), columns=list(columns))


def read_creation(records: pd.DataFrame, started: set[str]) -> dict:
	"""When the churned customers with neither subscription nor invoice were created (their start then)."""
	names = sorted(set(records["customer"]) - started)
	customer = frappe.qb.DocType("Customer")
	created = {}
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		created.update(
			frappe.qb.from_(customer)
			.select(customer.name, customer.creation)
			.where(customer.name.isin(chunk))
			.run()
		)
	return created


def territory_and_below(territory: str) -> list[str]:
	from frappe.utils.nestedset import get_descendants_of

	return [territory, *get_descendants_of("Territory", territory, ignore_permissions=True)]


def read_subscriptions(company: str) -> pd.DataFrame:
	"""Every subscription of a customer in the company, one row per plan, with the plan's price."""
	subscription = frappe.qb.DocType("Subscription")
	detail = frappe.qb.DocType("Subscription Plan Detail")
	rows = (
		frappe.qb.from_(subscription)
		.left_join(detail)
		.on((detail.parent == subscription.name) & (detail.parenttype == "Subscription"))
		.select(
			subscription.party,
			subscription.status,
			subscription.start_date,
			detail.plan,
			detail.qty,
		)
		.where((subscription.party_type == "Customer") & (subscription.company == company))
		.run()
	)
	frame = pd.DataFrame(rows, columns=SUBSCRIPTION_COLUMNS[:5])
	plan = frappe.qb.DocType("Subscription Plan")
	plans = pd.DataFrame(
		frappe.qb.from_(plan)
		.select(plan.name, plan.cost, plan.billing_interval, plan.billing_interval_count)
		.run(),
		columns=["plan", *SUBSCRIPTION_COLUMNS[5:]],
	)
	return frame.merge(plans, on="plan", how="left")[SUBSCRIPTION_COLUMNS]


def read_first_invoices(company: str, customers: list[str]) -> pd.Series:
	"""The first invoice's date of the customers (those without a subscription) invoiced by the company."""
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = []
	for start in range(0, len(customers), CHUNK):
		rows += (
			frappe.qb.from_(invoice)
			.select(invoice.customer, Min(invoice.posting_date))
			.where(
				(invoice.company == company)
				& (invoice.docstatus == 1)
				& (invoice.is_return == 0)
				& invoice.customer.isin(customers[start : start + CHUNK])
			)
			.groupby(invoice.customer)
			.run()
		)
	frame = pd.DataFrame(rows, columns=["customer", "first_invoice"])
	return pd.to_datetime(frame.set_index("customer")["first_invoice"])


def read_invoices(company: str, as_of: pd.Timestamp) -> pd.DataFrame:
	"""Invoices unpaid now, or changed (paid) after the as-of date; disputed and credit notes left out."""
	invoice = frappe.qb.DocType("Sales Invoice")
	unpaid_then = invoice.outstanding_amount > 0
	if as_of.date() < getdate(nowdate()):
		unpaid_then = unpaid_then | (invoice.modified >= as_of + pd.Timedelta(days=1))
	rows = (
		frappe.qb.from_(invoice)
		.select(
			invoice.customer,
			invoice.due_date,
			invoice.grand_total,
			invoice.outstanding_amount,
			invoice.modified,
		)
		.where(
			(invoice.company == company)
			& (invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.churn_disputed == 0)
			& (invoice.due_date <= as_of.date())
			& unpaid_then
		)
		.run()
	)
	return pd.DataFrame(rows, columns=INVOICE_COLUMNS)


def read_churn_records(company: str) -> pd.DataFrame:
	"""The company's churn register: every record not cancelled."""
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(
			record.customer,
			record.churn_date,
			record.churn_kind,
			record.churn_reason,
			record.won_back_date,
			record.lost_mrr,
			record.tariff,
		)
		.where((record.company == company) & (record.docstatus < 2))
		.run()
	)
	return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def read_reasons() -> pd.DataFrame:
	"""The classifier's reasons (leaves) with their group, managed flag and target share."""
	reason = frappe.qb.DocType("Churn Reason")
	rows = (
		frappe.qb.from_(reason)
		.select(
			reason.name, reason.parent_churn_reason, reason.managed, reason.target_share, reason.customer_type
		)
		.where(reason.is_group == 0)
		.run()
	)
	return pd.DataFrame(rows, columns=REASON_COLUMNS)
