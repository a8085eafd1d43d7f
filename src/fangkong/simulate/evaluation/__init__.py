"""``fangkong simulate evaluate``: a run of the outbreak driver scored against its ground truth
(docs/outbreak-driver.md, "Evaluation"): the tracing's recall and precision, the hours from a
positive sample to its contacts being under control, the share of cases found among people
already under control, and the attack rate with the platform's measures and without them."""

from fangkong.simulate.evaluation.score import evaluate
from fangkong.simulate.evaluation.truth import EVALUATION, EvaluationError, latest_run, read_run

__all__ = ["EVALUATION", "EvaluationError", "evaluate", "latest_run", "read_run"]
