# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from frappe import _


def get_context(context):
	"""A guest's form, in the visitor's language, never cached with someone else's answer."""
	context.no_cache = 1
	if context.get("introduction_text"):
		context.introduction_text = _(context.introduction_text)
