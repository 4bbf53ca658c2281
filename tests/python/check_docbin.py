"""Reads Spanmark's DocBin export with spaCy's own DocBin.from_bytes and prints, per doc, its
text, every span of doc.spans[KEY] and every entity as [start_char, end_char, label, text].

usage: check_docbin.py FILE.spacy KEY
"""
import json
import sys

import spacy
from spacy.tokens import DocBin

nlp = spacy.blank("xx")
db = DocBin().from_bytes(open(sys.argv[1], "rb").read())
out = []
for doc in db.get_docs(nlp.vocab):
    spans = [[s.start_char, s.end_char, s.label_, s.text] for s in doc.spans[sys.argv[2]]]
    ents = [[e.start_char, e.end_char, e.label_, e.text] for e in doc.ents]
    out.append({"text": doc.text, "spans": spans, "ents": ents})
print(json.dumps(out, ensure_ascii=False))
