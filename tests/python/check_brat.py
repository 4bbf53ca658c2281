"""Reads Spanmark's brat folder with pybrat. Prints {doc: sorted [[start, end, type], ...]}."""
import json, sys
from pybrat.parser import BratParser

out = {}
for ex in BratParser(error="raise").parse(sys.argv[1]):
    spans = []
    for e in ex.entities:
        start, end = e.spans[0].start, e.spans[-1].end
        # Every fragment's text is what the mention says.
        assert " ".join(ex.text[s.start:s.end] for s in e.spans) == e.mention, e
        spans.append([start, end, e.type])
    out[ex.id] = sorted(spans, key=lambda x: json.dumps(x))
print(json.dumps(out, ensure_ascii=False))
