"""The learned suggester: which department, with what confidence.

Features: words from jieba (with the duty catalogue's phrases in its
dictionary), Chinese character bigrams, hits on catalogue phrases (as the
phrase and as its office), and the kind of submission. Model: multinomial
logistic regression on sublinear tf-idf. Training happens in seconds with
scikit-learn; prediction uses the learned arrays directly (a few
microseconds, no scikit-learn call per case).

The confidence threshold (dispatch above, triage below) is chosen when
training, on out-of-fold predictions of the training rows only.
"""

from routing.suggester.features import (  # noqa: F401 - the package's public names (and _identity: saved models)
    MAX_TEXT_CHARS,
    PRIOR_WEIGHT,
    PRIOR_WEIGHTS,
    TERM_WEIGHT,
    _identity,
    features,
)
from routing.suggester.model import Suggester, with_citizen_choice  # noqa: F401
from routing.suggester.training import (  # noqa: F401
    _threshold_from_oof,
    catalogue_documents,
    catalogue_only,
    train,
)
