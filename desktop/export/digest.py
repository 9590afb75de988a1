"""The content digest (docs/content-digest.md) and the "unchanged project" fingerprint.

Content listing: one line per payload file except ``data/submission.pdf``::

    <sha256, 64 lowercase hex><two spaces><path from the bag root, e.g. data/answers.json>\\n

lines sorted by their UTF-8 bytes (what ``LC_ALL=C sort`` does), concatenated. The content
digest is the SHA-256 (lowercase hex) of that listing. It is exactly the bag's
``manifest-sha256.txt`` without the PDF's line, sorted:

    grep -v '  data/submission\\.pdf$' manifest-sha256.txt | LC_ALL=C sort | sha256sum
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

PDF_PATH = "data/submission.pdf"
LISTING_NAME = "content-listing.txt"  # name of the listing attached inside the PDF


def listing_bytes(entries: Iterable[tuple[str, str]]) -> bytes:
    """Canonical listing for (path from bag root, sha256 hex) pairs; the PDF's own entry is skipped."""
    lines = sorted(
        f"{sha.lower()}  {path}\n".encode("utf-8") for path, sha in entries if path != PDF_PATH
    )
    return b"".join(lines)


def content_digest(listing: bytes) -> str:
    return hashlib.sha256(listing).hexdigest()


def parse_listing(data: bytes) -> dict[str, str]:
    """path -> sha256 from a listing or a manifest (raises ValueError on a malformed line)."""
    out: dict[str, str] = {}
    text = data.decode("utf-8")
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        sha, rest = line[:64], line[64:]
        path = rest.lstrip(" \t")
        if path.startswith("*"):  # sha256sum's binary-mode marker
            path = path[1:]
        if (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha.lower())
                or len(path) == len(rest) or not path or path.endswith("\r")):
            raise ValueError(f"line {n} is not '<sha256>  <path>'")
        if path in out:
            raise ValueError(f"line {n}: {path} is listed twice")
        out[path] = sha.lower()
    return out


def state_fingerprint(program_text: str, meta: dict[str, str], answers: dict[str, Any],
                      evidence: list[tuple[str, str, str, str | None, str, str]]) -> str:
    """SHA-256 of everything a sealed package is made of, for "has the project changed since the
    last seal?". Inputs: the embedded program definition, applicant names, cover details, every answer, and every
    evidence link (sha256, name, indicator, slot, note, added_at). Not included: modified_at and
    other bookkeeping (storing the seal time itself must not count as a change)."""
    doc = {
        "program": hashlib.sha256(program_text.encode("utf-8")).hexdigest(),
        "applicant": meta.get("applicant", ""),
        "applicant_en": meta.get("applicant_en", ""),
        # the cover details are printed on the cover: changing them is a change
        "cover": {k: meta[k] for k in ("recommender", "contact_name", "contact_phone", "fill_date", "period") if meta.get(k)},
        "answers": {k: answers[k] for k in sorted(answers)},
        "evidence": sorted([list(e) for e in evidence], key=lambda e: json.dumps(e, ensure_ascii=False)),
    }
    raw = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()
