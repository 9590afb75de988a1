"""The one YAML reader of the app (program definitions — bundled, installed, embedded in a project,
inside a package): safe, dates kept as strings, libyaml when available, and bounded:

- at most MAX_YAML_CHARS characters, checked before parsing;
- aliases (`*name`) may not expand the document beyond MAX_EXPANDED_NODES: a "billion laughs"
  bomb is a few hundred bytes of anchors and aliases that expand to billions of nodes when anything
  walks the result (schema validation, JSON). The composed node graph is measured before anything
  is built from it (linear in its size, whatever it would expand to); a self-referencing alias is
  refused. (Aliases are not refused outright: `yaml.safe_dump` writes them for repeated objects,
  so definitions made by tools, and projects embedding them, may hold a few.)
- nesting: libyaml stops at 1,000 levels; a deeper structure built by the pure-Python parser ends
  in RecursionError, which the loader reports as an invalid definition.

A text parsed before comes from desktop/programs/yaml_cache.py (per machine, keyed by its digest).

Nothing else in the app calls yaml.load/safe_load (tests/core/test_hostile_inputs.py checks).
"""

from __future__ import annotations

from functools import lru_cache

from . import yaml_cache

MAX_YAML_CHARS = 4_000_000  # the largest bundled definition is ~90 kB
MAX_EXPANDED_NODES = 500_000  # ~15,000 nodes in the largest bundled definition


@lru_cache(maxsize=1)
def _loader_class():
    """The loader, made on first need: PyYAML is imported only when a text is really parsed (a
    text parsed before comes from the cache, and `dossier info` starts ≈ 25 ms sooner)."""
    import yaml

    # libyaml's C parser is ~10x faster than the pure-Python one; both are "safe" loaders that
    # build plain data only.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):
        """Safe loader that keeps dates as strings (an ISO date in a definition is data, not a
        datetime) and refuses a mapping that names the same key twice: YAML would silently keep the
        last one, and a definition (or its demo answers) that says two things at once is a mistake
        the author must see."""

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        dup = key in seen
                    except TypeError:  # an unhashable key: the base constructor reports it
                        continue
                    if dup:
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping", node.start_mark,
                            f"found duplicate key {key!r}", key_node.start_mark)
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    _Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def _refused(message: str, mark):
    import yaml

    class ExpansionRefused(yaml.composer.ComposerError):
        pass

    return ExpansionRefused(None, None, message, mark)


def _line_of(text: str, parts) -> int | None:
    """1-based line of the node at `parts` in the YAML text (best effort)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader_class())
    except yaml.YAMLError:
        return None
    line = None
    for p in parts:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == p:
                    nxt = v
                    line = k.start_mark.line + 1
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and p < len(node.value):
            node = node.value[p]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line



def _fmt_path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _where(text: str | None, parts) -> str:
    loc = _fmt_path(parts)
    if text is not None:
        line = _line_of(text, list(parts))
        if line:
            return f"{loc} (line {line})" if loc else f"line {line}"
    return loc


class YamlTooLarge(ValueError):
    def __init__(self, n: int):
        super().__init__(f"{n:,} characters; at most {MAX_YAML_CHARS:,} are accepted")
        self.n = n


def _check_expansion(root) -> None:
    """Refuse a node graph whose aliases would expand it past MAX_EXPANDED_NODES (or forever).
    Sizes are memoised per node, so the walk is linear in the graph, not in its expansion."""
    from yaml import MappingNode, SequenceNode

    def _children(node) -> list:
        if isinstance(node, MappingNode):
            return [x for kv in node.value for x in kv]
        if isinstance(node, SequenceNode):
            return list(node.value)
        return []

    size: dict[int, int] = {}
    active: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            kids = _children(node)
            total = 1 + sum(size[id(k)] for k in kids)
            size[key] = total
            if total > MAX_EXPANDED_NODES:
                raise _refused(f"aliases (*name) expand this document to more than "
                               f"{MAX_EXPANDED_NODES:,} values; write repeated parts out instead", node.start_mark)
            continue
        if key in size:
            continue
        if key in active:
            raise _refused("an alias (*name) refers to the node that contains it", node.start_mark)
        active.add(key)
        stack.append((node, True))
        for k in _children(node):
            if id(k) not in size:
                stack.append((k, False))


def load_yaml(text: str, *, cache: bool = True):
    """The data of one YAML document (bounded: see the module doc). A text parsed before is taken
    from desktop.programs.yaml_cache (only texts that passed every bound are remembered)."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlTooLarge(len(text))
    key = None
    if cache and len(text) >= yaml_cache.MIN_CHARS:
        key, data = yaml_cache.lookup(text)
        if data is not None:
            return data
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # no "*" anywhere: no alias, nothing to measure
            _check_expansion(node)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    if key is not None and data is not None:
        yaml_cache.store(key, data)
    return data
