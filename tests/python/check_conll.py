"""Runs `spacy convert` on Spanmark's CoNLL export and reads the entities back; reads the tags
with seqeval. Prints {"spacy": [[[text, label], ...], ...], "seqeval_entities": n, ...}."""
import json, subprocess, sys, pathlib
import spacy
from spacy.tokens import DocBin
from seqeval.metrics import f1_score
from seqeval.metrics.sequence_labeling import get_entities

src, outdir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
subprocess.run([sys.executable, "-m", "spacy", "convert", str(src), str(outdir),
                "--converter", "ner", "--n-sents", "1000000"], check=True,
               stdout=subprocess.DEVNULL)
nlp = spacy.blank("xx")
docs = list(DocBin().from_disk(outdir / (src.stem + ".spacy")).get_docs(nlp.vocab))
ents = [[[e.text, e.label_] for e in d.ents] for d in docs]

sents, tags = [], []
for line in src.read_text(encoding="utf-8").splitlines():
    cols = line.split()
    if not cols or cols[0] == "-DOCSTART-":
        if tags:
            sents.append(tags)
            tags = []
        continue
    tags.append(cols[-1])
if tags:
    sents.append(tags)
n = sum(len(get_entities(s)) for s in sents)
print(json.dumps({"spacy": ents, "seqeval_entities": n, "seqeval_f1_self": f1_score(sents, sents)}, ensure_ascii=False))
