"""JSON Schema checks with one validator (the reference `jsonschema` package), a memory of the
documents that already passed, and one precise sentence for a refusal.

Why one validator: the app used to answer "valid?" with jsonschema-rs and explain errors with
`jsonschema`. jsonschema-rs is a 15 MB library (a Rust HTTP/TLS stack for remote references
included) that the installer cannot afford (#14: people install over slow, capped lines), so
`jsonschema` does both. It is slower (≈ 1.4 s of CPU for the sixteen bundled definitions, which the
start window loads), so a document that passed is remembered by the SHA-256 of the schema and of
its text: a definition is checked once per machine, not at every start or project open.
`Checker.first_problem` is the one entry point:

- remembered digests come from the user's cache (`<user data>/cache/schema-checked-<name>.txt`,
  rewritten atomically, capped, ignored when unreadable or unwritable: it only saves time) and, in
  an installed app, from `resources/schema/<name>.checked`, written by the installer build for the
  definitions it ships (installer/dossier.spec);
- a refusal names the deepest location and the most specific reason, in jsonschema's wording
  ("'title' is a required property", "'money' is not one of [...]"). For oneOf/anyOf the branch the
  author most likely meant is explained (a branch rejected only for the instance's type is no
  candidate; each missing key costs 1, each unexpected key 2); equally close branches report what
  they share, with the keys that would have chosen one ("one of the keys 'field', 'column',
  'expr' is required").

Remote references are never fetched (jsonschema resolves only what the schema itself contains).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_ERRORS = 200  # a hostile document can have millions of errors; the first ones explain it
MAX_REMEMBERED = 4000  # digests kept in the user cache (64 bytes each)
_WEAK = {"oneOf", "anyOf"}
# at one location, say first what names the mistake (a missing or unexpected key, a wrong value),
# then a summary of alternatives, last a bare count of properties
_PRIORITY = {"minProperties": 0, "maxProperties": 0, "oneOf": 1, "anyOf": 1}


@dataclass(frozen=True)
class SchemaProblem:
    message: str
    path: tuple  # keys and indices from the document's root to the offending value

    @property
    def where(self) -> str:
        return "/".join(str(p) for p in self.path) or "(top level)"


class Checker:
    """A compiled schema and the digests of the documents that passed it."""

    def __init__(self, schema: dict[str, Any], name: str):
        self.schema = schema
        self.name = name
        self.schema_digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode("utf-8")).hexdigest()
        self._known: set[str] | None = None
        self._validator = None

    @property
    def validator(self):
        """The compiled validator, made on first need: a remembered document needs none, and
        importing jsonschema (with referencing, rpds, attrs) costs a command ~0.1 s."""
        if self._validator is None:
            import jsonschema

            self._validator = jsonschema.validators.validator_for(self.schema)(self.schema)
        return self._validator

    # -------------------------------------------------------------- the memory

    def digest(self, instance: Any, text: str | None = None) -> str:
        h = hashlib.sha256(self.schema_digest.encode("ascii"))
        if text is not None:
            h.update(b"text\0" + text.encode("utf-8", "surrogatepass"))
        else:
            h.update(b"json\0" + json.dumps(instance, sort_keys=True, ensure_ascii=False, default=str)
                     .encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _cache_file(self) -> Path:
        from .paths import user_data_dir

        return user_data_dir() / "cache" / f"schema-checked-{self.name}.txt"

    def _shipped_file(self) -> Path:
        from .paths import resources_dir

        return resources_dir() / "schema" / f"{self.name}.checked"

    @staticmethod
    def _read_digests(path: Path) -> list[str]:
        try:
            if path.stat().st_size > 1 << 20:
                return []
            lines = path.read_text("ascii").split()
        except (OSError, UnicodeDecodeError, ValueError):
            return []
        return [x for x in lines if len(x) == 64 and all(c in "0123456789abcdef" for c in x)]

    def known(self) -> set[str]:
        if self._known is None:
            self._known = set(self._read_digests(self._shipped_file())) | set(self._read_digests(self._cache_file()))
        return self._known

    def remember(self, digest: str) -> None:
        self.known().add(digest)
        path = self._cache_file()
        try:
            from .fsutil import atomic_write_bytes

            have = self._read_digests(path)
            if digest in have:
                return
            keep = (have + [digest])[-MAX_REMEMBERED:]
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, ("\n".join(keep) + "\n").encode("ascii"))
        except (OSError, ValueError):  # an unwritable or odd user folder: only speed is lost
            pass

    # -------------------------------------------------------------- checking

    def first_problem(self, instance: Any, *, text: str | None = None, remember: bool = True) -> SchemaProblem | None:
        """None when `instance` is valid (remembered, or checked now); otherwise the most
        specific problem. `text`: the document's source text, a cheaper key than the data."""
        key = self.digest(instance, text) if remember else None
        if key is not None and key in self.known():
            return None
        problem = first_problem(self.validator, instance)
        if problem is None and key is not None:
            self.remember(key)
        return problem


def first_problem(validator, instance: Any) -> SchemaProblem | None:
    """None when `instance` is valid; otherwise the most specific problem (the deepest location first)."""
    import itertools

    errors = list(itertools.islice(validator.iter_errors(instance), MAX_ERRORS))
    if not errors:
        return None
    return explain(_most_relevant(errors))


def explain(err) -> SchemaProblem:
    """The sentence and location for one error, descending into oneOf/anyOf alternatives."""
    while True:
        branches = _branches(err)
        if not branches:
            return SchemaProblem(_message(err), tuple(err.absolute_path))
        chosen = _choose_branch(err, branches)
        if isinstance(chosen, SchemaProblem):
            return chosen
        err = _most_relevant(chosen)


# ------------------------------------------------------------------------------------ choosing


def _branches(err) -> list[list]:
    """The errors of each alternative of a failed oneOf/anyOf, grouped by branch."""
    if err.validator not in _WEAK or not err.context:
        return []
    groups: dict[int, list] = {}
    for e in err.context:
        idx = e.relative_schema_path[0] if e.relative_schema_path else 0
        groups.setdefault(idx, []).append(e)
    return [groups[k] for k in sorted(groups)]


def _relevance(err) -> tuple:
    # deeper is more specific, earlier siblings first, a oneOf/anyOf summary only when nothing
    # more specific is wrong at that place (like jsonschema.exceptions.relevance)
    path = list(err.absolute_path)
    return (len(path), tuple(_neg_key(p) for p in path), _PRIORITY.get(err.validator, 2))


def _neg_key(p) -> tuple:
    # max() picks the earliest sibling: invert the order of indices and names
    return (0, -p) if isinstance(p, int) else (1, tuple(-ord(c) for c in str(p)))


def _most_relevant(errors: list):
    return max(errors, key=_relevance)


def _is_type_mismatch(err, parent) -> bool:
    return err.validator == "type" and list(err.absolute_path) == list(parent.absolute_path)


def _unexpected(err) -> list:
    if err.validator != "additionalProperties" or not isinstance(err.instance, dict):
        return []
    allowed = set((err.schema or {}).get("properties", {}))
    return [k for k in err.instance if k not in allowed]


def _cost(branch: list) -> int:
    """How far a branch was from matching: each missing key counts 1, each unexpected key 2 (the
    keys the author wrote say more about the intent than those left out), a nested alternative
    costs its cheapest branch, any other error 1."""
    total = 0
    for e in branch:
        if e.validator == "additionalProperties":
            total += 2 * max(1, len(_unexpected(e)))
        elif e.validator in _WEAK and _branches(e):
            total += min(_cost(b) for b in _branches(e))
        else:
            total += 1
    return total


def _depth(branch: list) -> int:
    return max(len(list(e.absolute_path)) for e in branch)


def _choose_branch(err, branches: list[list]):
    """The branch to explain further, or a SchemaProblem when no single branch stands out."""
    here = len(list(err.absolute_path))
    shaped = [b for b in branches if not all(_is_type_mismatch(e, err) for e in b)]
    if not shaped:  # the value has none of the accepted types
        types: list[str] = []
        for b in branches:
            for e in b:
                ts = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
                types += [t for t in ts if t not in types]
        return SchemaProblem(f"{_short(err.instance)} is not of type {', '.join(map(repr, types))}",
                             tuple(err.absolute_path))
    # a branch whose errors lie deeper matched the shape and failed on a detail: the likeliest intent
    best = min(shaped, key=lambda b: (-_depth(b), _cost(b)))
    ties = [b for b in shaped if (_depth(b), _cost(b)) == (_depth(best), _cost(best))]
    if len(ties) == 1 or _depth(best) > here:
        return best
    if all(len(b) == 1 and b[0].validator == "required" for b in ties):  # "field", "column" or "expr"
        keys = list(dict.fromkeys(_missing(b[0]) for b in ties))
        return SchemaProblem(f"one of the keys {', '.join(map(repr, keys))} is required", tuple(err.absolute_path))
    shared = [e for e in ties[0] if all(any(o.message == e.message for o in b) for b in ties[1:])]
    if not shared:
        return best
    problem = explain(_most_relevant(shared))
    wanted = [_missing(e) for b in ties for e in b if e.validator == "required"]
    if len(wanted) > 1:
        keys = ", ".join(repr(k) for k in dict.fromkeys(wanted))
        return SchemaProblem(f"{problem.message}; expected one of the keys {keys}", problem.path)
    return problem


def _missing(err) -> str:
    """The key a `required` error is about."""
    if isinstance(err.instance, dict) and isinstance(err.validator_value, list):
        for k in err.validator_value:
            if k not in err.instance:
                return k
    return err.message.split("'")[1] if "'" in err.message else err.message


# ------------------------------------------------------------------------------------ wording


def _short(value: Any, limit: int = 80) -> str:
    s = repr(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _message(err) -> str:
    """jsonschema's wording, with the offending value shortened and counts made explicit."""
    k, v, inst = err.validator, err.validator_value, err.instance
    if k == "minProperties":
        return f"{_short(inst)} does not have enough properties (at least {v})"
    if k == "maxProperties":
        return f"{_short(inst)} has too many properties (at most {v})"
    if k in ("enum", "type", "const", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
             "maxItems", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum") and len(repr(inst)) > 80:
        head, sep, tail = err.message.partition(repr(inst))
        if sep:  # a huge value in the sentence: shorten it, keep the rest
            return head + _short(inst) + tail
    return err.message


def cache_digests_for(checker: Checker, texts: list[str], data: list[Any]) -> list[str]:
    """Digests of documents known to be valid (the installer build ships them; see Checker)."""
    out = []
    for text, doc in zip(texts, data):
        if first_problem(checker.validator, doc) is None:
            out.append(checker.digest(doc, text))
    return out

