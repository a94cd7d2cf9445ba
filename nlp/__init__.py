"""Language analysis of testimonies with spaCy's French pipeline: suggested grounds of
discrimination (with the words that triggered them) and redaction of personal data."""

from nlp.analysis import MAX_CHARS, Analyser, Analysis, analyse, analyse_batch
from nlp.codes import GROUNDS
from nlp.redact import PiiSpan
from nlp.rules import GroundHit, Trigger
from nlp.worker import NlpWorker

__all__ = [
    "GROUNDS",
    "MAX_CHARS",
    "Analyser",
    "Analysis",
    "GroundHit",
    "NlpWorker",
    "PiiSpan",
    "Trigger",
    "analyse",
    "analyse_batch",
]
