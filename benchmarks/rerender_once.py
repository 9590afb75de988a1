"""Run the re-render check once on each of the first N packages of a folder, in one process —
for an instruction count, which is repeatable where seconds are not (a noisy VM):

    PYTHONPATH=. PYTHONMALLOC=malloc valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.3 \\
        .venv/bin/python benchmarks/rerender_once.py FOLDER 3
    (and the same with 1): (instructions of 3 − instructions of 1) / 2 = one warm re-render check

The packages must be made by this very build (`bench_review.make_packages(Path('/tmp/br8n'), 12, 5)`,
see benchmarks/README.md), or the check does not render and this stops with an error.
"""
import hashlib
import sys
import zipfile
from pathlib import Path

from desktop.export.digest import listing_bytes, parse_listing
from desktop.export.verify import PDF_PATH, RERENDER_DOCS, _find_root, render_in_process


def expect_for(p: Path):
    z = zipfile.ZipFile(p)
    names = z.namelist()
    root = _find_root(names)
    exp = {r: hashlib.sha256(z.read(root + r)).hexdigest()
           for r in [PDF_PATH, "data/answers.json", "data/program.yaml", *RERENDER_DOCS] if root + r in names}
    return exp, listing_bytes(parse_listing(z.read(root + "manifest-sha256.txt")).items())


def main() -> None:
    pkgs = sorted(Path(sys.argv[1]).glob("*.zip"))[:int(sys.argv[2]) if len(sys.argv) > 2 else 3]
    items = [(p, *expect_for(p)) for p in pkgs]
    for p, exp, listing in items:
        r = render_in_process(str(p), listing, exp)
        if r is None or r.status != "match":
            sys.exit(f"{p.name}: {r}")


if __name__ == "__main__":
    main()
