app_name = "churn_management"
app_title = "Churn Management"
app_publisher = "churn_management contributors"
app_description = "Churn management for subscription businesses on ERPNext"
app_email = "churn-management@example.org"
app_license = "mit"
app_logo_url = "/assets/churn_management/images/logo.svg"

required_apps = ["erpnext"]

export_python_type_annotations = True
