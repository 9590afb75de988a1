"""The expert panel (issue #11): rubrics from the program definitions, blind offline scoring on
expert sheets, signed score sheets merged into the review file, aggregation, decisions and the
推荐名单汇总表 / 公示 list / review report.

    rubric      the rubric model, from a definition's `review:` block (or derived)
    schema      the panel's tables in the review file (its schema ladder, step v2)
    rounds      rounds and their rubric versions; the first merged score freezes a round's rubric
    assign      building an expert sheet for one expert and some packages
    sheet       the expert sheet file (`.dsheet`, SQLite, application_id "DXSH") and scoring in it
    prefill     gate items pre-filled from the rule engine's result
    scores_file the signed score sheet (`.dscores`, a small zip with a magic, manifest, CMS signature)
    submit      an expert sheet → a score sheet
    merge       a score sheet → the review file (refusing tampered, foreign, duplicate, outdated)
    aggregate   statistics per package and criterion, z-scores, disagreement, ranking
    decisions   recommended / not recommended, with reason and history
    outputs     推荐名单汇总表 (XLSX), 公示 list (XLSX/CSV)
    report      the review report PDF

The core has no Qt; the GUI is desktop/ui/panel, the CLI desktop/cli/panel.py. Docs: docs/review.md
("The expert panel") and docs/panel-files.md (the two file formats).

This package's __init__ imports nothing: the program loader imports desktop.panel.rubric.
"""
