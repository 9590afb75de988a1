"""A package's verdict on the desk, from verify's verdict, the trust list and the package's links.

verify (desktop.export.verify, `Verdict.status` ∈ intact | untrusted | tampered | unreadable, the
signatures in `signature` / `pdf_signature`) says whether the bytes are what was sealed and who
signed them. The desk adds what only a collection of packages can say: the same package twice
(duplicate), a package for another program (wrong program), a newer package from the same
applicant (superseded). The verdict is the most serious of these; `flags` lists all that apply.

Signature trust is decided here, not in verify: packages are verified without a trust argument,
and the signer's fingerprint is compared with the review's trust list when the verdict is shown,
so a change to the trust list takes effect without re-verifying.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models.program import Label
from .packages import VERDICT_LABELS, VERDICTS, PackageRecord

VALID_SIGNATURE = ("trusted", "unknown_signer", "valid")


@dataclass
class DeskVerdict:
    key: str  # one of packages.VERDICTS
    flags: list[str] = field(default_factory=list)  # every verdict that applies, most serious first
    signature: str = "unsigned"  # unsigned | trusted | untrusted | invalid | not_checked

    @property
    def label(self) -> Label:
        return VERDICT_LABELS[self.key]

    @property
    def ok(self) -> bool:
        return self.key == "intact"

    def to_dict(self) -> dict:
        return {"verdict": self.key, "flags": self.flags, "signature": self.signature}


def signature_trust(rec: PackageRecord, trusted: set[str]) -> str:
    st = rec.signature_status
    if st in VALID_SIGNATURE:
        return "trusted" if rec.signer_fingerprint and rec.signer_fingerprint in trusted else "untrusted"
    if st == "invalid":
        return "invalid"
    if st == "unsigned":
        return "unsigned"
    return "not_checked"


def desk_verdict(rec: PackageRecord, trusted: set[str]) -> DeskVerdict:
    sig = signature_trust(rec, trusted)
    flags: list[str] = []
    waiting = (rec.basis or {}).get("state") == "waiting"
    if waiting:  # a delta whose basis has not been taken in: not damaged, just not checkable yet
        flags.append("awaiting_basis")
    elif rec.status == "unreadable":
        flags.append("unreadable")
    elif rec.status == "tampered":
        flags.append("tampered")
    if rec.duplicate_of is not None:
        flags.append("duplicate")
    if rec.wrong_program:
        flags.append("wrong_program")
    if rec.superseded_by is not None:
        flags.append("superseded")
    if rec.status != "unreadable" and not waiting:
        if sig in ("untrusted", "not_checked"):
            flags.append("untrusted")
        elif sig == "unsigned":
            flags.append("unsigned")
    flags.sort(key=VERDICTS.index)
    return DeskVerdict(flags[0] if flags else "intact", flags, sig)
