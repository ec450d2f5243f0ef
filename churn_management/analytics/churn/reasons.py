"""Churn by reason and reason group against the classifier's target shares (DOMAIN.md §2).

Each churned customer carries one reason (from the termination, or the non-payment reason). The
classifier (the ``reasons`` table) maps reasons to a group, a managed flag and a target share of
total churn (percent in the input). Reasons not in the classifier are reported in the group
"Unclassified" with the managed flag unknown.

Output of :func:`churn_by_reason`, one row per reason, most frequent first:
group, reason, managed (True / False / None), churned, share (fraction of all churned),
target_share (fraction, null when not set), excess (customers above the target, >= 0), lost_mrr.

The *potential* of managed churn is the churn of managed reasons above their targets: what a
working retention service should bring down first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNCLASSIFIED = "Unclassified"


def churn_by_reason(states: pd.DataFrame, classifier: pd.DataFrame | None = None) -> pd.DataFrame:
	"""Count churned customers per reason and compare each with its target share."""
	churned = states[states["state"] == "churned"]
	total = len(churned)
	counts = (
		churned.groupby("reason", dropna=False)
		.agg(churned=("customer_id", "size"), lost_mrr=("monthly_fee", "sum"))
		.reset_index()
	)
	counts["reason"] = counts["reason"].fillna("Not recorded").astype(str)
	if classifier is not None and len(classifier):
		known = classifier.set_index("reason")
		counts = counts.merge(
			known[["group", "managed", "target_share"]], left_on="reason", right_index=True, how="outer"
		)
		counts["churned"] = counts["churned"].fillna(0).astype("int64")
		counts["lost_mrr"] = counts["lost_mrr"].fillna(0.0)
		counts["group"] = counts["group"].fillna(UNCLASSIFIED)
		counts["target_share"] = counts["target_share"].astype(float) / 100.0
	else:
		counts["group"] = UNCLASSIFIED
		counts["managed"] = None
		counts["target_share"] = np.nan
	counts["managed"] = counts["managed"].astype(object).where(counts["managed"].notna(), None)
	counts["share"] = counts["churned"] / total if total else 0.0
	expected = counts["target_share"] * total
	counts["excess"] = (counts["churned"] - expected).clip(lower=0).round(1)
	counts["lost_mrr"] = counts["lost_mrr"].round(2)
	columns = ["group", "reason", "managed", "churned", "share", "target_share", "excess", "lost_mrr"]
	return (
		counts[columns]
		.sort_values(["churned", "group", "reason"], ascending=[False, True, True])
		.reset_index(drop=True)
	)


def churn_by_group(by_reason: pd.DataFrame) -> pd.DataFrame:
	"""Roll reasons up to their groups: churned, share, target share, excess."""
	grouped = by_reason.assign(target_share=by_reason["target_share"].fillna(0.0)).groupby(
		"group", sort=False
	)
	frame = grouped.agg(
		churned=("churned", "sum"),
		share=("share", "sum"),
		target_share=("target_share", "sum"),
		excess=("excess", "sum"),
		lost_mrr=("lost_mrr", "sum"),
	)
	frame["managed"] = grouped["managed"].agg(_group_managed)
	return frame.reset_index().sort_values("churned", ascending=False).reset_index(drop=True)


def _group_managed(values: pd.Series):
	known = {v for v in values if v is not None}
	return known.pop() if len(known) == 1 else None


def _managed_share(by_reason: pd.DataFrame, managed: pd.Series, unmanaged: pd.Series) -> float | None:
	"""Managed churn over classified churn; None when no churned reason is classified."""
	classified = by_reason.loc[managed | unmanaged, "churned"].sum()
	return float(by_reason.loc[managed, "churned"].sum() / classified) if classified else None


def managed_summary(by_reason: pd.DataFrame) -> dict:
	"""Managed and unmanaged shares of churn and the potential of managed churn."""
	total = int(by_reason["churned"].sum())
	managed = pd.Series([v is True for v in by_reason["managed"]], index=by_reason.index, dtype=bool)
	unmanaged = pd.Series([v is False for v in by_reason["managed"]], index=by_reason.index, dtype=bool)
	potential = by_reason[managed]
	return {
		"churned": total,
		"managed": int(by_reason.loc[managed, "churned"].sum()),
		"unmanaged": int(by_reason.loc[unmanaged, "churned"].sum()),
		"unknown": int(by_reason.loc[~managed & ~unmanaged, "churned"].sum()),
		"managed_share": _managed_share(by_reason, managed, unmanaged),
		"potential_customers": float(potential["excess"].sum()),
		"potential_mrr": float(
			(
				potential["lost_mrr"]
				* (potential["excess"] / potential["churned"].where(potential["churned"] > 0))
			).sum()
		),
	}
