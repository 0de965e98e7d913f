"""compute.fit_doc makes each model's `fit` document once: the models and cure sections both
read the best models' documents, and each costs an optimisation per time point (the
P(cured | event-free) projection intervals); the second copy cost bmt-cr's report 1.5 s CPU
(measured directly; about 4% of its 36-40 s)."""
import gc
from unittest import mock

from remission.report import compute


class _Model:
    """A stand-in for models.compare.ComparedModel (compared by identity)."""

    def __init__(self):
        self.fit = mock.Mock()
        self.fit.to_dict.side_effect = lambda times: {"times": times}


def test_each_model_document_is_made_once_and_times_are_not_cached():
    a, b = _Model(), _Model()
    assert compute.fit_doc(a) is compute.fit_doc(a)
    a.fit.to_dict.assert_called_once_with(None)
    assert compute.fit_doc(b) is not compute.fit_doc(a)  # per model, not one for all
    assert compute.fit_doc(a, [1.0]) == {"times": [1.0]}
    assert compute.fit_doc(a, [2.0]) == {"times": [2.0]}  # other times: made each time
    assert a.fit.to_dict.call_count == 3
    n = len(compute._DOCS)
    del b
    gc.collect()
    assert len(compute._DOCS) == n - 1  # dropped with its model (no report keeps another's)
