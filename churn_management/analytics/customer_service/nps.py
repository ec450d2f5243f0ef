"""Net Promoter Score: promoters (9-10) less detractors (0-6), in percent of the answers.

Overall, per segment (territory, tariff, customer type, tenure band) and per month; the response rate is
answered personal links over links sent.
"""

import pandas as pd

DETRACTOR_MAX = 6
PROMOTER_MIN = 9
MIN_SCORE, MAX_SCORE = 0, 10
TENURE_BANDS = ((0, 6, "0-6 months"), (6, 12, "6-12 months"), (12, 24, "1-2 years"), (24, 60, "2-5 years"))
LONG_TENURE = "5+ years"
SEGMENT_COLUMNS = ["segment", "responses", "promoters", "passives", "detractors", "nps"]


def score_category(score: int) -> str:
	"""Detractor, Passive or Promoter for one score 0-10."""
	if score <= DETRACTOR_MAX:
		return "Detractor"
	if score >= PROMOTER_MIN:
		return "Promoter"
	return "Passive"


def is_valid_score(score) -> bool:
	"""A whole number from 0 to 10."""
	try:
		value = float(score)
	except (TypeError, ValueError):
		return False
	return value.is_integer() and MIN_SCORE <= value <= MAX_SCORE


def nps(scores: pd.Series) -> float | None:
	"""NPS of the scores, -100 to 100, rounded to one decimal; None without answers."""
	scores = pd.Series(scores).dropna()
	if scores.empty:
		return None
	promoters = (scores >= PROMOTER_MIN).sum()
	detractors = (scores <= DETRACTOR_MAX).sum()
	return round(float(promoters - detractors) * 100 / len(scores), 1)


def tenure_band(months: float | None) -> str:
	"""The tenure band a customer's months with us fall into."""
	if months is None or pd.isna(months):
		return ""
	for low, high, label in TENURE_BANDS:
		if low <= months < high:
			return label
	return LONG_TENURE


def nps_by(responses: pd.DataFrame, column: str) -> pd.DataFrame:
	"""NPS and counts per value of ``column`` (responses need ``score`` and that column)."""
	if responses.empty:
		return pd.DataFrame(columns=SEGMENT_COLUMNS)
	frame = responses.assign(segment=responses[column].fillna("").astype(str))
	rows = []
	for segment, group in frame.groupby("segment", sort=True):
		scores = group["score"]
		rows.append(
			{
				"segment": segment,
				"responses": len(scores),
				"promoters": int((scores >= PROMOTER_MIN).sum()),
				"passives": int(((scores > DETRACTOR_MAX) & (scores < PROMOTER_MIN)).sum()),
				"detractors": int((scores <= DETRACTOR_MAX).sum()),
				"nps": nps(scores),
			}
		)
	return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def monthly_trend(responses: pd.DataFrame) -> pd.DataFrame:
	"""NPS per month of ``responded_on``, oldest first."""
	if responses.empty:
		return pd.DataFrame(columns=SEGMENT_COLUMNS)
	month = pd.to_datetime(responses["responded_on"]).dt.strftime("%Y-%m")
	return nps_by(responses.assign(month=month), "month")


def response_rate(sent: int, answered: int) -> float | None:
	"""Answered links in percent of links sent; None when nothing was sent."""
	if not sent:
		return None
	return round(answered * 100 / sent, 1)
