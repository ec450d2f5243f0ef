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

# Desk assets: Select values of our DocTypes read with their DocType as translation context, and the
# filters the query reports share
app_include_js = [
	"/assets/churn_management/js/select_context.js",
	"/assets/churn_management/js/report_filters.js",
]

# Installation
after_install = "churn_management.install.after_install"
after_migrate = "churn_management.install.after_migrate"

# Fixtures: our roles, the Custom Fields we add to ERPNext, and the termination workflow
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"role_name",
				"in",
				[
					"Termination Desk",
					"Retention Manager",
					"Retention Head",
					"Churn Analyst",
					"Debt Collector",
				],
			]
		],
	},
	{"dt": "Role", "filters": [["role_name", "in", ["Club Manager", "Club Trainer"]]]},
	{"dt": "Custom Field", "filters": [["module", "in", ["Churn Management", "Customer Service"]]]},
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
	# debt-case batches lost with a restarted worker are queued again
	"all": ["churn_management.collections.jobs.debt_cases.sweep_pending_actions"],
	"daily_long": [
		"churn_management.churn_management.jobs.churn_status.run_daily",
		"churn_management.collections.jobs.debt_cases.run_daily",
		"churn_management.clubs.jobs.lifecycle_segmentation.run_nightly",
		"churn_management.retention.jobs.retention_tasks.run_daily",
		"churn_management.retention.jobs.save_judgement.run_daily",
		"churn_management.customer_service.jobs.complaints.run_daily",
		"churn_management.customer_service.jobs.surveys.run_daily",
		"churn_management.customer_service.jobs.applications.run_daily",
	],
}

# Desk
doc_events = {
	"User": {"validate": "churn_management.install.set_default_workspace"},
	# a complaint's form shows the customer's churn status as it is today
	"Issue": {"onload": "churn_management.customer_service.complaints.show_current_churn_status"},
	"ToDo": {
		"validate": "churn_management.retention.doctype.retention_task.retention_task_assignment.validate_todo",
		"on_update": "churn_management.retention.doctype.retention_task.retention_task_assignment.sync_assignee",
	},
	# a payment or credit note of a debtor refreshes their debt case the same day
	"Payment Entry": {
		"on_submit": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
		"on_cancel": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
	},
	"Sales Invoice": {
		"on_submit": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
		"on_cancel": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
	},
	"Journal Entry": {
		"on_submit": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
		"on_cancel": "churn_management.collections.jobs.debt_cases.refresh_on_payment",
	},
}

# the API's paths before the app was split into modules keep working
override_whitelisted_methods = {
	"churn_management.api.club_visits.load_visits": "churn_management.clubs.api.club_visits.load_visits",
	"churn_management.api.club_visits.load_visit_file": "churn_management.clubs.api.club_visits.load_visit_file",
	"churn_management.api.retention.my_conversion": "churn_management.retention.api.retention.my_conversion",
	"churn_management.churn_management.doctype.debt_collection_settings.debt_collection_settings.run_now": (
		"churn_management.collections.api.debt_collection.run_now"
	),
}

override_doctype_dashboards = {
	"Customer": "churn_management.overrides.customer_dashboard.get_dashboard_data",
}

doctype_js = {
	"Customer": "public/js/customer.js",
}

# Testing
before_tests = "churn_management.install.before_tests"

# Retention tasks: a Retention Manager sees only the tasks assigned to them.
# Debt work: a Debt Collector sees only the cases assigned to them, and only those customers' cards,
# invoices and Dunnings.
permission_query_conditions = {
	"Retention Task": "churn_management.retention.permissions.retention_task.get_permission_query_conditions",
	"Debt Case": "churn_management.collections.doctype.debt_case.debt_case_permissions.debt_case_query",
	"Sales Invoice": "churn_management.collections.doctype.debt_case.debt_case_permissions.sales_invoice_query",
	"Customer": "churn_management.collections.doctype.debt_case.debt_case_permissions.customer_query",
	"Dunning": "churn_management.collections.doctype.debt_case.debt_case_permissions.dunning_query",
	"Motivation Statement": "churn_management.management.doctype.motivation_statement.motivation_statement_permissions.statement_query",
}
has_permission = {
	"Retention Task": "churn_management.retention.permissions.retention_task.has_permission",
	"Debt Case": "churn_management.collections.doctype.debt_case.debt_case_permissions.has_debt_case_permission",
	"Sales Invoice": "churn_management.collections.doctype.debt_case.debt_case_permissions.has_sales_invoice_permission",
	"Customer": "churn_management.collections.doctype.debt_case.debt_case_permissions.has_customer_permission",
	"Dunning": "churn_management.collections.doctype.debt_case.debt_case_permissions.has_dunning_permission",
	"Motivation Statement": "churn_management.management.doctype.motivation_statement.motivation_statement_permissions.has_statement_permission",
}
