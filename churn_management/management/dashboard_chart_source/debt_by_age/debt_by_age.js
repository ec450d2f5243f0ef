frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Debt by Age"] = {
	method: "churn_management.management.charts.debt_by_age",
	filters: [],
};
