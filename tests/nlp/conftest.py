from __future__ import annotations

import pytest

from nlp import Analyser


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """spaCy and the rules, loaded once for the whole test session (about 5 s)."""
    from nlp.analysis import default_analyser

    return default_analyser()
