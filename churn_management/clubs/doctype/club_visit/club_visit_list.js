// Copyright (c) 2026, churn_management contributors
// For license information, please see license.txt

frappe.listview_settings["Club Visit"] = {
	onload(listview) {
		if (!frappe.model.can_create("Club Visit")) return;
		listview.page.add_inner_button(__("Load Visits From File"), () => {
			new frappe.ui.FileUploader({
				allow_multiple: false,
				restrictions: { allowed_file_types: [".csv", ".xlsx"] },
				on_success(file) {
					frappe.call({
						method: "churn_management.clubs.api.club_visits.load_visit_file",
						args: { file_url: file.file_url },
						freeze: true,
						freeze_message: __("Checking and loading the visits..."),
						callback({ message }) {
							if (!message) return;
							frappe.msgprint({
								title: __("Visits Loaded"),
								indicator: "green",
								message: __(
									"{0} rows read: {1} visits loaded, {2} already loaded, {3} repeated in the file.",
									[
										message.received,
										message.inserted,
										message.already_loaded,
										message.duplicates_in_batch,
									]
								),
							});
							listview.refresh();
						},
					});
				},
			});
		});
	},
};
