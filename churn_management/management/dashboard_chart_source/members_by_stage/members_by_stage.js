frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Members by Stage"] = {
	method: "churn_management.management.charts.members_by_stage",
	filters: [],
};
