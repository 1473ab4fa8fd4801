"""Fixes on the corpus, run by ``python -m benchmarks --only corpus_fixes``: see
``benchmarks/corpus/fix_check.py``."""

from __future__ import annotations

from benchmarks.corpus.fix_check import main

__all__ = ["main"]
