"""Dossier core: project files, program definitions, rules, evidence, export.

Nothing in this package imports Qt: the CLI, tests and the desktop UI (desktop.ui) all
call the same services here.
"""

__version__ = "0.1.0"
APP_NAME = "Dossier"
