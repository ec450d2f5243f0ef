// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

// A Select value reads with its DocType as the translation context when a context row exists
// ("Primary" of a Churn Record is primary churn, not ERPNext's "main"); otherwise exactly as before.
(() => {
	const formatters = frappe.form && frappe.form.formatters;
	if (!formatters || formatters.__churn_select_context) return;
	const plain = formatters.Select;
	formatters.Select = function (value, df, ...rest) {
		if (value && df && df.parent) {
			const in_context = __(value, null, df.parent);
			if (in_context !== __(value)) return frappe.utils.escape_html(in_context);
		}
		return plain.call(this, value, df, ...rest);
	};
	formatters.__churn_select_context = true;
})();
