"""answers.json's fast check (answers_json.value_ok + the light schema) says exactly what the full
schema says: checked against jsonschema itself on generated values and documents."""

from __future__ import annotations

import copy
import json
import random

import jsonschema
import pytest

from desktop.export import answers_json as aj

SCALARS = ["", "文字", 0, -3, 2.5, 1e300, True, False, None]


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7)
    if kind < 3 or depth > 2:
        return rng.choice(SCALARS + [{}, []])
    if kind == 3:
        return [rng.choice(["a", "b", 1, None]) if rng.random() < 0.15 else "x" for _ in range(rng.randrange(4))]
    if kind == 4:
        return [{f"c{j}": _value(rng, depth + 1) if rng.random() < 0.2 else rng.choice(["v", 3, 1.5, True])
                 for j in range(rng.randrange(3))} for _ in range(rng.randrange(4))]
    if kind == 5:
        return {"k": _value(rng, depth + 1)}
    return [_value(rng, depth + 1) for _ in range(rng.randrange(3))]


def test_value_ok_is_the_schemas_oneof():
    check = jsonschema.Draft202012Validator({"$schema": "https://json-schema.org/draft/2020-12/schema", **aj._VALUE})
    rng = random.Random(20261202)
    cases = [[], [""], [{}], [{}, "a"], [{"a": None}], [{"a": [1]}], [{"a": True}], ["a", 1], 0.0, True, None, {}]
    cases += [_value(rng) for _ in range(3000)]
    seen = {True: 0, False: 0}
    for v in cases:
        want = check.is_valid(v)
        assert aj.value_ok(v) == want, v
        seen[want] += 1
    assert seen[True] > 300 and seen[False] > 300  # both sides exercised


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    from desktop.demo import make_demo
    from desktop.export import export_project
    from desktop.programs import find_program
    import zipfile

    base = tmp_path_factory.mktemp("fastcheck")
    proj = base / "p.dossier"
    make_demo(find_program("gx-city-consortium"), proj).close()
    z = export_project(proj, base / "out").zip_path
    with zipfile.ZipFile(z) as zf:
        name = next(n for n in zf.namelist() if n.endswith("data/answers.json"))
        return json.loads(zf.read(name))


def test_documents_agree_with_the_full_schema(doc):
    full = jsonschema.Draft202012Validator(aj.SCHEMA)
    rng = random.Random(7)
    keys = list(doc["answers"])
    variants = [doc]
    for _ in range(300):
        d = copy.deepcopy(doc)
        what = rng.randrange(5)
        if what == 0:
            d["answers"][rng.choice(keys)] = _value(rng)
        elif what == 1:
            d["answers"]["bad key"] = "x"
        elif what == 2:
            d.pop(rng.choice(aj.SCHEMA["required"]))
        elif what == 3:
            d["answers"] = rng.choice([[], "x", None, {}])
        else:
            d["completeness"] = rng.choice([101, -1, "50", 50])
        variants.append(d)
    agree = {True: 0, False: 0}
    for d in variants:
        want = full.is_valid(d)
        assert aj._fast_valid(2, d) is want or (not aj._fast_valid(2, d) and not want), d
        # and loads, which uses it, accepts exactly the valid ones
        raw = json.dumps(d, ensure_ascii=False).encode()
        if want:
            assert aj.loads(raw) == d
        else:
            with pytest.raises(aj.AnswersFormatError):
                aj.loads(raw)
        agree[want] += 1
    assert agree[True] > 20 and agree[False] > 20
