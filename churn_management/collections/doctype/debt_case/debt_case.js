// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Debt Case", {
	refresh(frm) {
		if (frm.doc.status === "Write-off pending") {
			frm.dashboard.add_comment(
				__("Write-off pending: the debt is no longer worked; it is written off once the accountant submits Journal Entry {0}.", [frm.doc.journal_entry]),
				"orange",
				true
			);
		}
		if (frm.is_new() || frm.doc.status !== "Open") return;
		const approver = frappe.user.has_role(["Accounts Manager", "Retention Head", "System Manager"]);
		frm.add_custom_button(__("Log contact"), () => ask(frm, "log_contact", __("Log contact"), [
			{ fieldname: "note", fieldtype: "Small Text", label: __("What was agreed"), reqd: 1 },
		]), __("Actions"));
		if (!frm.doc.service_blocked) {
			frm.add_custom_button(__("Block service"), () => ask(frm, "block_service", __("Block service"), [
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
			]), __("Actions"));
		} else {
			const fields = [{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }];
			if (approver) {
				fields.push({ fieldname: "override", fieldtype: "Check", label: __("Override: the customer still owes") });
			}
			frm.add_custom_button(__("Unblock service"), () => ask(frm, "unblock_service", __("Unblock service"), fields), __("Actions"));
		}
		frm.add_custom_button(__("Hand over to agency"), () => ask(frm, "hand_over", __("Hand over to agency"), [
			{ fieldname: "agency", fieldtype: "Data", label: __("Agency"), reqd: 1 },
		]), __("Decision"));
		if (approver && frm.doc.decision !== "Written Off") {
			frm.add_custom_button(__("Write off"), () => ask(frm, "write_off", __("Write off"), [
				{ fieldname: "note", fieldtype: "Small Text", label: __("Why") },
			]), __("Decision"));
		}
		if (frm.doc.recommendation) {
			frm.dashboard.add_comment(
				__("Worth collecting? {0}: expected net recovery {1}", [
					__(frm.doc.recommendation, null, "Debt Case"),
					format_currency(frm.doc.net_recovery),
				]),
				frm.doc.net_recovery > 0 ? "green" : "orange",
				true
			);
		}
		if (frm.doc.score_basis === "Default curve") {
			frm.dashboard.add_comment(
				__("Too little payment history at this age (learnt from {0} invoices): the recovery probability comes from the default curve in Debt Collection Settings.", [frm.doc.learnt_from || 0]),
				"blue",
				true
			);
		}
	},
});

function ask(frm, method, title, fields) {
	frappe.prompt(fields, (values) => {
		frm.call(method, values).then(() => frm.reload_doc());
	}, title);
}
