frappe.ready(function () {
	// the request is checked and handled by the desk; the form itself needs no script
});
