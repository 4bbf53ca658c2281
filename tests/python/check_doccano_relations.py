"""Reads Spanmark's JSONL as doccano's relation projects load it: entities by id
(start_offset, end_offset, label), relations by from_id, to_id, type. Prints
{id: sorted [[from text, from start, type, to text, to start]]}."""
import json, sys

out = {}
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    text = rec["text"]
    ents = {e["id"]: e for e in rec.get("entities", [])}
    rels = []
    for r in rec.get("relations", []):
        a, b = ents[r["from_id"]], ents[r["to_id"]]
        rels.append([text[a["start_offset"]:a["end_offset"]], a["start_offset"], r["type"],
                     text[b["start_offset"]:b["end_offset"]], b["start_offset"]])
    out[rec["id"]] = sorted(rels, key=lambda x: json.dumps(x, ensure_ascii=False))
print(json.dumps(out, ensure_ascii=False))
