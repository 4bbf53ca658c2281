"""Label Studio tasks with relations: label-studio-converter still reads the file (JSON_MIN),
and each `relation` result is read as Label Studio reads it: from_id and to_id name regions of
the same annotation. Prints {doc_id: sorted [[from text, from start, label, to text, to start, direction]]}."""
import json, sys, pathlib
from label_studio_converter import Converter

tasks, config, outdir = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]) / "ls-rel"
Converter(config=config, project_dir=str(outdir)).convert(tasks, str(outdir), "JSON_MIN", is_dir=False)
assert (outdir / "result.json").exists()
out = {}
for task in json.loads(pathlib.Path(tasks).read_text(encoding="utf-8")):
    result = task["annotations"][0]["result"]
    regions = {r["id"]: r["value"] for r in result if r["type"] == "labels"}
    rels = []
    for r in result:
        if r["type"] != "relation":
            continue
        a, b = regions[r["from_id"]], regions[r["to_id"]]
        assert task["data"]["text"][a["start"]:a["end"]] == a["text"]
        rels.append([a["text"], a["start"], r["labels"][0], b["text"], b["start"], r["direction"]])
    out[task["data"]["doc_id"]] = sorted(rels, key=lambda x: json.dumps(x, ensure_ascii=False))
print(json.dumps(out, ensure_ascii=False))
