"""Turns NAME.txt (articles with [text|label] marks; NAME is news-nl unless given) into
NAME.jsonl, doccano's layout: {"id", "text", "label": [[start, end, label], ...]} with
code-point offsets.    python3 benches/data/to_jsonl.py [NAME]"""
import json, pathlib, re, sys

here = pathlib.Path(__file__).parent
name = sys.argv[1] if len(sys.argv) > 1 else "news-nl"
prefix = "nieuws" if name == "news-nl" else name
blocks = [b for b in here.joinpath(name + ".txt").read_text(encoding="utf-8").split("\n\n")]
out = []
for block in blocks:
    lines = [l for l in block.splitlines() if not l.startswith("#")]
    src = " ".join(lines).strip()
    if not src:
        continue
    text, spans, pos = "", [], 0
    for m in re.finditer(r"\[([^|\]]+)\|([a-z]+)\]", src):
        text += src[pos:m.start()]
        start = len(text)
        text += m.group(1)
        spans.append([start, len(text), m.group(2)])
        pos = m.end()
    text += src[pos:]
    out.append({"id": f"{prefix}-{len(out) + 1:02d}", "text": text, "label": spans})
with open(here / (name + ".jsonl"), "w", encoding="utf-8") as f:
    for d in out:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(f"{len(out)} articles, {sum(len(d['label']) for d in out)} names")
