"""Typed values: `coerce` (the single gate every stored value passes) and `display` (human text)."""

from __future__ import annotations

from .coerce import coerce, coerce_scalar, is_answered
from .display import display, plural

__all__ = ["coerce", "coerce_scalar", "display", "is_answered", "plural"]
