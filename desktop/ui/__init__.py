"""The desktop UI (PySide6). Everything Qt lives in this package; the core (desktop/*) has no Qt.

Module map (one concern per module):
  app.py            entry point, QApplication, the controller that opens/creates projects
  i18n.py           UI language: translators (ours, English plural forms, Qt's own), switching, .qm build
  fonts.py          the bundled faces registered with Qt, fallback order per language, [U+XXXX]
  icons.py          small drawn icons (no emoji glyphs)
  sizing.py         dialogs that keep fitting their content; windows sized to the screen
  settings.py       QSettings: geometry, recent files and what the list shows, where each
                    project was left off, language (nothing secret)
  worker.py         the ONE helper for long work off the UI thread (progress dialog, cancel)
  session.py        ProjectSession: the open project + cached answers/evidence/report + undo stack
  undo.py           QUndoCommands over field edits and evidence changes
  start_window.py   create / open / recent / install a program definition
  list_items.py     items of several elided lines (programs, recent projects)
  main_window.py    composition of the panels below, menus via actions.py
  nav_tree.py       sections → indicators with status, completeness bar
  form_view.py      the form of one indicator (rows of field editors), pages per indicator
  field_base.py     the FieldEditor base class (commit, errors, accessibility)
  fields_scalar.py  text, longtext, integer/number/percent, date
  fields_choice.py  choice, multichoice, boolean
  table_model.py    QAbstractTableModel over a table field's rows
  table_editor.py   the table field editor: spreadsheet keys, typed delegates, row ops, paste
  text_limits.py    max_length enforced and said (a cut paste is reported)
  official_text.py  the official 观测点 text of the current indicator
  evidence_panel.py evidence slots and files: drop, add, remove, note, preview, open
  evidence_preview.py  image / PDF / text previews (under the evidence list)
  preview_dialog.py the preview window (double-click or Enter on a file)
  problems_panel.py every problem (or one indicator's), click to jump
  dialogs.py        error dialogs (what happened, what to do), help, about
  export_dialog.py  "Seal & export" and "Open package" (when desktop.export is present)
  verdict_text.py   the verify verdict in the UI language (headline, colour, log lines)
  screenshots.py    renders docs/screenshots/*.png
"""
