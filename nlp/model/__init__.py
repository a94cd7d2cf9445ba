"""Trained weights, kept as data: rebuilt by `python -m nlp.train`."""
