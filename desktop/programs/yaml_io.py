"""The one YAML reader for program definitions: safe, dates kept as strings, libyaml when available."""

from __future__ import annotations

import yaml


# libyaml's C parser is ~10x faster than the pure-Python one (a project embeds its definition and
# parses it on every open); both are "safe" loaders that build plain data only.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loader that keeps dates as strings (an ISO date in a definition is data, not a datetime)
    and refuses a mapping that names the same key twice: YAML would silently keep the last one, and a
    definition (or its demo answers) that says two things at once is a mistake the author must see."""

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



def _line_of(text: str, parts) -> int | None:
    """1-based line of the node at `parts` in the YAML text (best effort)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
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


def load_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
