"""The reviewer's desk (issue #10): a review file that takes in many packages, verifies each,
compares them and returns them for revision — offline.

    from desktop.review import Review, add_packages
    with Review.create("2025推荐.dreview", "2025 城市产教联合体", program_id="gx-city-consortium") as rv:
        result = add_packages(rv, ["/media/usb"])          # verify + copy in, one transaction
        rv.add_note(1, "请补充合作协议扫描件", indicator="2.1")
        issue_notes(rv, 1, "notes.dossier-notes", sealer=None)

Split by concern: `file` (the SQLite file, transactions, meta), `schema` (the migration ladder —
the expert panel adds its tables there), `store` (package bytes), `packages` (records, states,
history), `verdicts` + `trust` (the verdict shown), `intake`, `opener` (the seam for transport),
`recheck` (rules run again), `diff` (what changed since), `table` (comparison, XLSX), `notes`
(the reviewer's notes), `notes_file` (the signed review notes file), `applicant` (notes imported
into a project), `response` (data/review-response.json in the next export), `reader` (a package as
a read-only project for the main window's panels).
"""

from __future__ import annotations

from .file import APPLICATION_ID, SUFFIX, ReviewError, ReviewFile, utcnow
from .notes import Note, NotesMixin
from .packages import STATE_LABELS, STATES, TRANSITIONS, VERDICT_LABELS, VERDICTS, PackageEvent, PackageRecord, PackagesMixin
from .schema import CURRENT_VERSION
from .trust import TrustEntry, TrustMixin
from .verdicts import DeskVerdict, desk_verdict

__all__ = ["Review", "ReviewError", "APPLICATION_ID", "SUFFIX", "CURRENT_VERSION", "PackageRecord", "PackageEvent",
           "Note", "TrustEntry", "DeskVerdict", "STATES", "STATE_LABELS", "TRANSITIONS", "VERDICTS", "VERDICT_LABELS",
           "add_packages", "desk_verdict", "utcnow"]


class Review(ReviewFile, PackagesMixin, TrustMixin, NotesMixin):
    """An open review file. Not thread-safe: each thread opens its own Review (own connection)."""

    def verdict(self, rec: PackageRecord, trusted: set[str] | None = None) -> DeskVerdict:
        return desk_verdict(rec, self.trusted() if trusted is None else trusted)

    def summary(self) -> dict:
        """Counts for a status line: packages by verdict and by state."""
        trusted = self.trusted()
        by_verdict: dict[str, int] = {}
        by_state: dict[str, int] = {}
        recs = self.packages()
        for r in recs:
            k = desk_verdict(r, trusted).key
            by_verdict[k] = by_verdict.get(k, 0) + 1
            by_state[r.state] = by_state.get(r.state, 0) + 1
        return {"packages": len(recs), "verdicts": by_verdict, "states": by_state}


def add_packages(rv: Review, paths, **kw):
    from .intake import add_packages as _add

    return _add(rv, paths, **kw)
