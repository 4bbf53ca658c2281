"""Converts Spanmark's Label Studio export with label-studio-converter (JSON_MIN) and reads
the spans back. Prints [[start, end, label, text], ...] per task."""
import json, sys, pathlib
from label_studio_converter import Converter

tasks, config, outdir = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]) / "ls-out"
Converter(config=config, project_dir=str(outdir)).convert(tasks, str(outdir), "JSON_MIN", is_dir=False)
records = json.loads((outdir / "result.json").read_text(encoding="utf-8"))
out = []
for r in records:
    labels = r.get("label", [])
    if isinstance(labels, dict):
        labels = [labels]
    spans = []
    for l in labels:
        for name in l["labels"]:
            assert r["text"][l["start"]:l["end"]] == l["text"], l
            spans.append([l["start"], l["end"], name, l["text"]])
    out.append(spans)
print(json.dumps(out, ensure_ascii=False))
