app_name = "churn_management"
app_title = "Churn Management"
app_publisher = "churn_management contributors"
app_description = "Churn management for subscription businesses on ERPNext"
app_email = "churn-management@example.org"
app_license = "mit"
app_logo_url = "/assets/churn_management/images/logo.svg"

required_apps = ["erpnext"]

export_python_type_annotations = True

add_to_apps_screen = [
	{
		"name": "churn_management",
		"logo": "/assets/churn_management/images/logo.svg",
		"title": "Churn Management",
		"route": "/app/churn-management",
	}
]

# Installation
after_install = "churn_management.install.after_install"
after_migrate = "churn_management.install.after_migrate"

# Fixtures: our roles, the Custom Fields we add to ERPNext, and the termination workflow
fixtures = [
	{
		"dt": "Role",
		"filters": [
			["role_name", "in", ["Termination Desk", "Retention Manager", "Retention Head", "Churn Analyst", "Debt Collector"]]
		],
	},
	{"dt": "Custom Field", "filters": [["module", "=", "Churn Management"]]},
	{
		"dt": "Workflow State",
		"filters": [
			["name", "in", ["Draft", "Retention Attempt", "Retained", "Terminated", "Withdrawn", "Cancelled"]]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [["name", "in", ["Start Retention", "Retain", "Terminate", "Withdraw", "Cancel"]]],
	},
	{"dt": "Workflow", "filters": [["name", "in", ["Termination Application"]]]},
]

# Scheduled Tasks
scheduler_events = {
	"daily_long": [
		"churn_management.jobs.churn_status.run_daily",
		"churn_management.jobs.debt_cases.run_daily",
	],
}

# Desk
doctype_js = {
	"Customer": "public/js/customer.js",
}

# Testing
before_tests = "churn_management.install.before_tests"

# Debt work: a Debt Collector sees only the cases assigned to them, and only those customers' invoices
permission_query_conditions = {
	"Debt Case": "churn_management.churn_management.doctype.debt_case.debt_case_permissions.debt_case_query",
	"Sales Invoice": "churn_management.churn_management.doctype.debt_case.debt_case_permissions.sales_invoice_query",
}
has_permission = {
	"Debt Case": "churn_management.churn_management.doctype.debt_case.debt_case_permissions.has_debt_case_permission",
	"Sales Invoice": "churn_management.churn_management.doctype.debt_case.debt_case_permissions.has_sales_invoice_permission",
}

# Debt work: a payment or credit note of a debtor refreshes their debt case the same day
doc_events = {
	"Payment Entry": {
		"on_submit": "churn_management.jobs.debt_cases.refresh_on_payment",
		"on_cancel": "churn_management.jobs.debt_cases.refresh_on_payment",
	},
	"Sales Invoice": {"on_submit": "churn_management.jobs.debt_cases.refresh_on_payment"},
	"Journal Entry": {"on_submit": "churn_management.jobs.debt_cases.refresh_on_payment"},
}
