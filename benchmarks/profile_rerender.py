"""Time (and optionally profile) the re-render check of packages, one process, as a desk worker does.

    PYTHONPATH=. python benchmarks/profile_rerender.py FOLDER_OF_PACKAGES [N] [--prof]

The packages must be made by this very build (e.g. `bench_review.make_packages`, see
benchmarks/README.md), or the check does not render. Prints the first (cold) render and the
warm ones; with --prof, cProfile's top entries of the warm ones.
"""
import sys, time, hashlib, cProfile, pstats, zipfile
from pathlib import Path
from desktop.export.verify import render_in_process, _find_root, PDF_PATH, RERENDER_DOCS
pkgs = sorted(Path(sys.argv[1]).glob("*.zip"))
if len(pkgs) < 2:
    sys.exit("need at least two packages in " + sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 6
def expect_for(p):
    z = zipfile.ZipFile(p)
    names = z.namelist()
    root = _find_root(names)
    exp = {}
    for r in [PDF_PATH, "data/answers.json", "data/program.yaml", *RERENDER_DOCS]:
        if root + r in names:
            exp[r] = hashlib.sha256(z.read(root + r)).hexdigest()
    from desktop.export.digest import parse_listing, listing_bytes
    listing = listing_bytes(parse_listing(z.read(root + "manifest-sha256.txt")).items())
    return exp, listing
items = [(p, *expect_for(p)) for p in pkgs[:n]]
t = time.perf_counter(); r = render_in_process(str(items[0][0]), items[0][2], items[0][1]); print("first", time.perf_counter()-t, r)
ts = []
for p, e, l in items[1:]:
    t = time.perf_counter(); r = render_in_process(str(p), l, e); ts.append(time.perf_counter()-t)
    assert r.status == "match", r
print("next", [round(x,3) for x in ts])
if "--prof" in sys.argv:
    pr = cProfile.Profile(); pr.enable()
    for p, e, l in items[1:]:
        render_in_process(str(p), l, e)
    pr.disable()
    st = pstats.Stats(pr); st.sort_stats("cumulative").print_stats(45); st.sort_stats("tottime").print_stats(30)
