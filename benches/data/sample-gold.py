"""Writes sample-gold.jsonl: the bundled sample article (assets/) with the spans an editor
tags in it (actor, topic, date), marked on the asset's exact text. Every whole-word
occurrence of each (text, label) below is tagged, but where a longer tagged text covers it.
    python3 benches/data/sample-gold.py"""
import json, pathlib, re

here = pathlib.Path(__file__).parent
text = (here.parent.parent / "assets" / "eu-japan-digitaal-partnerschap.nl.txt").read_text(encoding="utf-8")
gold = [
    ("EU AI-kantoor", "actor"), ("Japanse AI-veiligheidsinstituut", "actor"),
    ("Europese Unie", "actor"), ("EU", "actor"), ("Japan", "actor"), ("Japen", "actor"),
    ("Canada", "actor"), ("Zuid Korea", "actor"), ("Singapore", "actor"), ("G7", "actor"),
    ("OESO", "actor"), ("Fleur Korte", "actor"),
    ("digitalisering", "topic"), ("halfgeleiders", "topic"), ("chips", "topic"),
    ("dataruimten", "topic"), ("High Performance Computing", "topic"),
    ("kunstmatige intelligentie", "topic"), ("kwantumtechnologie", "topic"), ("AI", "topic"),
    ("2022", "date"), ("2025", "date"),
]
spans, taken = [], [False] * len(text)
for needle, label in gold:  # longer texts first in the list above where they overlap
    for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?![\w-])", text):
        if not any(taken[m.start():m.end()]):
            spans.append([m.start(), m.end(), label])
            for i in range(m.start(), m.end()):
                taken[i] = True
spans.sort()
with open(here / "sample-gold.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "sample", "text": text, "label": spans}, ensure_ascii=False) + "\n")
print(f"{len(spans)} spans:", sorted({(text[a:b], l) for a, b, l in spans}))
