"""Turns news-nl.txt (articles with [text|label] marks) into news-nl.jsonl, doccano's layout:
{"id", "text", "label": [[start, end, label], ...]} with code-point offsets."""
import json, pathlib, re

here = pathlib.Path(__file__).parent
blocks = [b for b in here.joinpath("news-nl.txt").read_text(encoding="utf-8").split("\n\n")]
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
    out.append({"id": f"nieuws-{len(out) + 1:02d}", "text": text, "label": spans})
with open(here / "news-nl.jsonl", "w", encoding="utf-8") as f:
    for d in out:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(f"{len(out)} articles, {sum(len(d['label']) for d in out)} names")
