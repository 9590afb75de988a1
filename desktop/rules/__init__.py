"""The declarative rule engine (desktop.rules.engine): visibility, required items, rules, completeness."""

from __future__ import annotations

from .engine import Evaluator, evaluate

__all__ = ["Evaluator", "evaluate"]
