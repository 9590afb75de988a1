"""The verify verdict in the UI language: one headline and one colour per status, and every line
of the log (what differs, in which file) in words the reviewer reads.

The verdict's status is the core's (desktop.export.verify): intact | untrusted | tampered |
unreadable — "untrusted": the content is intact, but not signed by the identity the reviewer
trusts. The core writes its findings in English for the CLI; the known ones are translated here
(exact texts and "prefix: detail" patterns); anything else is shown as the core wrote it.

    vt = VerdictText()
    vt.headline(shown_status(v)); vt.log_lines(v, lang()); vt.detail(f.detail)
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject

STATUS_COLORS = {"intact": "#1e8e3e", "untrusted": "#9a5b00", "tampered": "#b3261e", "unreadable": "#5f6368"}


def shown_status(v) -> str:
    """The status to show. A core older than the "untrusted" status reported an intact package
    whose only failures were trust checks (unsigned, or signed by someone else, while a trusted
    identity was required) as "tampered": that is shown as what it is, "untrusted"."""
    st = v.status
    if st == "tampered" and not v.findings and v.checks:
        sigs = {"signature": v.signature, "PDF signature": v.pdf_signature}
        if all(c.ok or (c.name in sigs and (sigs[c.name] or {}).get("status") in ("unsigned", "unknown_signer"))
               for c in v.checks):
            return "untrusted"
    return st


def error_text(err: Any, lang: str) -> str:
    """A reason as the core gives it: a {"en", "zh"} dict, or (older cores) English text."""
    if isinstance(err, dict):
        return str(err.get(lang) or err.get("en") or "")
    return str(err)


_PATTERNS = {  # the core's findings that carry a detail: key -> regular expression
    "now": re.compile(r"now (?P<x>.+)"),
    "entries": re.compile(r"entries for (?P<x>.+)"),
    "pdf": re.compile(r"not a readable PDF \((?P<x>.+)\)"),
    "evidence": re.compile(r"evidence does not match answers\.json: (?P<x>.+)"),
    "definition": re.compile(r"not a valid program definition: (?P<x>.+)"),
    "not_listed": re.compile(r"does not list (?P<x>\S+)"),
    "checksum": re.compile(r"wrong checksum for (?P<x>\S+)"),
    "lists": re.compile(r"lists (?P<x>\S+), which does not exist"),
    "digest": re.compile(r"the payload hashes to (?P<x>\w+), the PDF records \w+"),
}


class VerdictText(QObject):
    def headline(self, status: str) -> str:
        return {
            "intact": self.tr("Intact: the package is exactly as it was sealed."),
            "untrusted": self.tr("Untrusted: the content is intact, but it is not signed by the identity you trust."),
            "tampered": self.tr("Tampered: the package was changed after it was sealed."),
            "unreadable": self.tr("Unreadable: this is not a package Dossier can check."),
        }.get(status, status)

    def status_word(self, status: str) -> str:
        return {"intact": self.tr("INTACT"), "untrusted": self.tr("UNTRUSTED"), "tampered": self.tr("TAMPERED"),
                "unreadable": self.tr("UNREADABLE")}.get(status, status.upper())

    def kind(self, kind: str) -> str:
        return {"modified": self.tr("modified"), "missing": self.tr("missing"), "extra": self.tr("extra file"),
                "renamed": self.tr("renamed"), "inconsistent": self.tr("inconsistent"),
                "check": self.tr("check failed")}.get(kind, kind)

    def check_name(self, name: str) -> str:
        return {"payload": self.tr("the files of the package"), "content digest": self.tr("content digest"),
                "signature": self.tr("signature of the data package"), "PDF signature": self.tr("signature of the PDF"),
                "answers.json schema": self.tr("format of answers.json"),
                "answers.json evidence": self.tr("evidence listed in answers.json"),
                "answers.json vs program.yaml": self.tr("answers.json against program.yaml"),
                "PDF re-render": self.tr("the PDF against its data")}.get(name, name)

    def _exact(self) -> dict[str, str]:
        return {
            "SHA-256 differs from the manifest": self.tr("its SHA-256 differs from the manifest: the file was changed"),
            "SHA-256 differs from the tag manifest": self.tr("its SHA-256 differs from the tag manifest"),
            "matches the manifest, but not the content listing sealed in the PDF":
                self.tr("it matches the manifest, but not the content listing sealed in the PDF"),
            "listed in the manifest": self.tr("listed in the manifest, but not in the package"),
            "listed in the PDF's content listing": self.tr("listed in the PDF's content listing, but not in the package"),
            "not in the manifest": self.tr("not listed in the manifest: it was added"),
            "not part of the bag": self.tr("not part of the package: it was added"),
            "outside the bag folder": self.tr("outside the package folder: it was added"),
            "required tag file": self.tr("a file every package has"),
            "not a valid manifest": self.tr("not a valid manifest"),
            "not a valid tag manifest": self.tr("not a valid tag manifest"),
            "not a valid bag-info.txt": self.tr("not a valid bag-info.txt"),
            "does not agree with the payload": self.tr("does not agree with the files of the package"),
            "altered": self.tr("altered"),
            "too large to check": self.tr("too large to check"),
            "it has no embedded content listing": self.tr("the PDF has no embedded content listing"),
            "it records no content digest": self.tr("the PDF records no content digest"),
            "the PDF records no content digest": self.tr("the PDF records no content digest"),
            "its embedded content listing is malformed": self.tr("the content listing embedded in the PDF is malformed"),
            "its embedded content listing does not hash to the digest it records":
                self.tr("the content listing embedded in the PDF does not match the digest the PDF records"),
            "no manifest and no readable content listing to check the payload against":
                self.tr("there is no manifest and no readable content listing to check the files against"),
            "data/answers.json is missing": self.tr("data/answers.json is missing"),
            "differs from the copy sealed in the PDF": self.tr("it differs from the copy sealed in the PDF"),
            "data/program.yaml is missing": self.tr("data/program.yaml is missing"),
            "differs from the definition answers.json was made with":
                self.tr("it differs from the program definition answers.json was made with"),
            "not signed": self.tr("not signed, but a trusted identity is required"),
            "signed, but not by the trusted identity": self.tr("signed, but not by the identity you trust"),
            "signature checking is not available in this build": self.tr("signatures cannot be checked in this version"),
            "the signature does not verify": self.tr("the signature does not verify: the signed files were changed"),
            "the PDF is signed by another signer than the one the package names":
                self.tr("the PDF is signed by someone other than the signer the package names"),
            "signature.p7s is by another signer than the one the package names":
                self.tr("the data package is signed by someone other than the signer the package names"),
        }

    def _pattern(self, key: str, x: str) -> str:
        return {
            "now": self.tr("now {x}"),
            "entries": self.tr("the entries for {x} were changed"),
            "pdf": self.tr("not a readable PDF ({x})"),
            "evidence": self.tr("evidence does not match answers.json: {x}"),
            "definition": self.tr("not a valid program definition: {x}"),
            "not_listed": self.tr("does not list {x}"),
            "checksum": self.tr("wrong checksum for {x}"),
            "lists": self.tr("lists {x}, which does not exist"),
            "digest": self.tr("the files hash to {x}, not to the digest the PDF records"),
        }[key].format(x=x)

    def detail(self, detail: str) -> str:
        """A finding's or check's detail in the UI language (each of several "; "-joined parts)."""
        if not detail:
            return ""
        exact = self._exact()
        parts = []
        for part in detail.split("; "):
            if part in exact:
                parts.append(exact[part])
                continue
            for key, rx in _PATTERNS.items():
                m = rx.fullmatch(part)
                if m:
                    parts.append(self._pattern(key, m.group("x")))
                    break
            else:
                parts.append(part)
        return self.tr("; ").join(parts)

    def signature_word(self, res: dict | None) -> str:
        st = (res or {}).get("status") or "unsigned"
        return {"trusted": self.tr("signed by the trusted identity"),
                "unknown_signer": self.tr("signed by an unknown identity"),
                "valid": self.tr("signed by an unknown identity"), "unsigned": self.tr("not signed"),
                "invalid": self.tr("signature invalid"), "not_checked": self.tr("not checked")}.get(st, st)

    def files(self, n: int) -> str:
        return self.tr("%n file(s) in the package", "", n)

    def log_lines(self, v, lang: str) -> list[str]:
        """The verdict as a log in the UI language (the GUI's counterpart of the CLI's verdict_lines)."""
        st = shown_status(v)
        pair = self.tr("{a}: {b}")  # "完好：…" — the colon of the UI language
        out = [pair.format(a=self.status_word(st), b=v.package)]
        vol = getattr(v, "volume", None)
        if vol:  # one volume checked alone
            out.append("  " + self.tr("Volume {index} of {count}").format(index=vol["index"], count=vol["count"]))
        # what transport did before checking (decrypted, reassembled from volumes, rebuilt from a delta)
        out += [f"  {n}" for n in getattr(v, "notes", None) or []]
        if st == "unreadable":
            return out + [f"  {error_text(e, lang)}" for e in v.errors]
        if v.program:
            title = v.program.get("title_zh") if lang == "zh" else (v.program.get("title_en") or v.program.get("title_zh"))
            out.append("  " + self.tr("Program: {title} ({id} {version})").format(
                title=title or "", id=v.program.get("id", ""), version=v.program.get("version", "")))
        if v.applicant:
            out.append("  " + self.tr("Applicant: {name}").format(name=v.applicant))
        if v.sealed_at:
            out.append("  " + self.tr("Sealed at: {time}").format(time=v.sealed_at)
                       + (" — " + self.tr("DRAFT") if v.draft else ""))
        if v.content_digest:
            out.append("  " + self.tr("Content digest: {digest}").format(digest="sha256:" + v.content_digest))
        out.append(f"  {self.files(v.files)} ({v.bytes:,} B)")
        for label, res in ((self.tr("Data package"), v.signature), (self.tr("Submission PDF"), v.pdf_signature)):
            res = res or {"status": "unsigned"}
            line = "  " + pair.format(a=label, b=self.signature_word(res))
            if res.get("signer"):
                line += f" — {res['signer']}"
            out.append(line)
            fp = res.get("display_fingerprint") or res.get("fingerprint")
            if fp and res.get("status") not in ("unsigned", "invalid"):
                out.append("    " + self.tr("fingerprint {fingerprint}").format(fingerprint=fp))
        trust = getattr(v, "trust", None) or {}
        if trust.get("required") and trust.get("met") is False and trust.get("reason"):
            out.append("  " + error_text(trust["reason"], lang))
        for f in v.findings:
            where = f"{f.path} → {f.renamed_to}" if f.kind == "renamed" and f.renamed_to else f.path
            detail = self.detail(f.detail) if f.kind != "renamed" else ""
            out.append("  " + pair.format(a=self.kind(f.kind), b=where) + (f" — {detail}" if detail else ""))
        for c in v.checks:
            if not c.ok:
                out.append("  " + pair.format(a=self.kind("check"), b=self.check_name(c.name)) + f" — {self.detail(c.detail)}")
            elif c.name == "PDF re-render":  # the PDF shows exactly the package's data (or cannot be re-rendered)
                out.append("  " + pair.format(a=self.check_name(c.name), b=self.detail(c.detail)))
        return out
