from __future__ import annotations

import pytest

from storage import Store
from tests.flows.helpers import Conversation


@pytest.fixture
def conv(store: Store) -> Conversation:
    return Conversation(store)
