"""Reads Spanmark's brat folder with pybrat. Prints {doc: sorted [[from text, from start, type, to text, to start], ...]}."""
import json, sys
from pybrat.parser import BratParser

out = {}
for ex in BratParser(error="raise").parse(sys.argv[1]):
    rels = []
    for r in ex.relations:
        a, b = r.arg1, r.arg2
        rels.append([a.mention, a.spans[0].start, r.type, b.mention, b.spans[0].start])
    out[ex.id] = sorted(rels, key=lambda x: json.dumps(x, ensure_ascii=False))
print(json.dumps(out, ensure_ascii=False))
