# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt


def get_context(context):
	"""A guest's form: no list, no sidebar, never cached with someone else's answer."""
	context.no_cache = 1
