"""The reviewer's desk in the GUI (issue #10): the desk window (`desk`), its models and dialogs,
the package detail pane, and the "Reviewer notes" panel shared with the applicant's main window
(`notes_panel`). Strings are in resources/translations/review_zh_CN.ts."""
