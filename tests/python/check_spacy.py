"""Builds a spaCy Doc from each record of Spanmark's spacy export and finds every span with
char_span(..., alignment_mode="strict"). Prints [[start, end, label, text], ...] per doc."""
import json, sys
import spacy
from spacy.tokens import Doc

nlp = spacy.blank("xx")
out = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        words = [t["text"] for t in rec["tokens"]]
        spaces = [t["ws"] for t in rec["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        assert doc.text == rec["text"], "tokens do not rebuild the text"
        spans = []
        for s in rec["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
            assert span is not None, f"not aligned: {s}"
            assert span.start == s["token_start"] and span.end - 1 == s["token_end"], s
            spans.append([span.start_char, span.end_char, span.label_, span.text])
        out.append(spans)
print(json.dumps(out, ensure_ascii=False))
