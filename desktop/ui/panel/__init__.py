"""The expert panel in the GUI (issue #11): the expert's scoring window (sheet_window, scoring),
the coordinator's Panel menu and tab on the reviewer's desk (desk_panel), their dialogs (dialogs)."""
