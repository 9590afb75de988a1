"""Transport in the UI (issue #12): the export dialog's volumes / recovery / encryption / delta box,
and the keys the verify view needs to open encrypted packages. The work is desktop.transport's."""
