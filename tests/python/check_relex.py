"""Reads Spanmark's relation-extraction JSONL as a training script would: spans by id,
text sliced from the record's text (Python str indices), relations as [from, to, label].
Checks each span's "text" equals its slice. Prints
{id: sorted [[from text, from start, label, to text, to start]]}."""
import json, sys

out = {}
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    text = rec["text"]
    spans = {s["id"]: s for s in rec["spans"]}
    for s in rec["spans"]:
        assert text[s["start"]:s["end"]] == s["text"], (rec["id"], s)
    rels = []
    for f, t, label in rec["relations"]:
        a, b = spans[f], spans[t]
        rels.append([text[a["start"]:a["end"]], a["start"], label,
                     text[b["start"]:b["end"]], b["start"]])
    out[rec["id"]] = sorted(rels, key=lambda x: json.dumps(x, ensure_ascii=False))
print(json.dumps(out, ensure_ascii=False))
