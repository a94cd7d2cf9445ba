"""Trained weights, kept as data: rebuilt by `python -m nlp.train`."""

from __future__ import annotations

from importlib import resources

import numpy as np

from nlp.codes import GROUNDS


def shipped(name: str) -> dict[str, np.ndarray] | None:
    """The arrays of `nlp/model/<name>`, checked against the ground codes; None when absent."""
    path = resources.files(__name__).joinpath(name)
    if not path.is_file():
        return None
    with path.open("rb") as f, np.load(f, allow_pickle=False) as data:
        if tuple(data["grounds"]) != GROUNDS:
            raise ValueError(f"nlp/model/{name} does not match the ground codes: retrain")
        return {key: data[key] for key in data.files}
