"""Loads Spanmark's Hugging Face export with `datasets`, decodes ner_tags with ClassLabel and
the label names written beside it, and prints each document's entities by seqeval as
[label, "".join(tokens)] (the span's text without whitespace).

usage: check_hf.py FILE.jsonl NAMES.json iob2|bioes
"""
import json
import sys

from datasets import ClassLabel, Sequence, load_dataset
from seqeval.metrics.sequence_labeling import get_entities

names = json.load(open(sys.argv[2], encoding="utf-8"))
ds = load_dataset("json", data_files=sys.argv[1], split="train")
ds = ds.cast_column("ner_tags", Sequence(ClassLabel(names=names)))
feature = ds.features["ner_tags"].feature
out = []
for rec in ds:
    tags = [feature.int2str(t) for t in rec["ner_tags"]]
    assert tags == rec["tags"], "ner_tags and tags disagree"
    ents = get_entities(tags)
    out.append([[label, "".join(rec["tokens"][s : e + 1])] for label, s, e in ents])
print(json.dumps(out, ensure_ascii=False))
