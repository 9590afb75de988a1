"""Recurring reports in the UI: File → Start next period from this one… (`menu`, `dialog`) and the
previous period's figure beside each numeric per-period field of the form (`previous`)."""
