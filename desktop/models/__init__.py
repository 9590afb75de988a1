"""Typed data models of programs and projects (no I/O, no Qt)."""
