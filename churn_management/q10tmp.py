import frappe


def clean():
	names = frappe.get_all("Debt Case", pluck="name")
	for child in ("Debt Case Action", "Debt Case Invoice", "Debt Promise", "Debt Instalment"):
		frappe.db.delete(child, {"parent": ("in", names or [""])})
	frappe.db.delete("ToDo", {"reference_type": "Debt Case"})
	frappe.db.delete("Debt Case")
	frappe.db.delete("Email Account", {"name": "_Test Debt Outgoing"})
	frappe.db.delete("Email Queue", {"reference_doctype": "Debt Case"})
	frappe.db.set_value("Sales Invoice", {"churn_disputed": 1}, "churn_disputed", 0)
	frappe.db.commit()
def run():
	print("customers", frappe.db.count("Customer", {"name": ("like", "_Test Churn Customer%")}), "cases", frappe.db.count("Debt Case"), "si", frappe.db.count("Sales Invoice"), "email acc", frappe.db.count("Email Account"))
