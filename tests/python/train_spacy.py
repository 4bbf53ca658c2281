"""Trains a blank pipeline for a few steps on Spanmark's DocBin export, as a user would:
`spacy init config`, `spacy debug data`, `spacy train`. Exits non-zero if training fails or
debug data finds entities on whitespace; prints debug data's findings (a few examples make it
complain about their number, and spans that end inside a word are tokens spaCy's own tokenizer
would not cut, which it counts as misaligned tokens).

usage: train_spacy.py ner|spancat LANG TRAIN.spacy DEV.spacy WORKDIR
"""
import os
import subprocess
import sys

component, lang, train, dev, work = sys.argv[1:6]
py = sys.executable
cfg = os.path.join(work, f"{component}.cfg")


def run(*args, check=True):
    r = subprocess.run([py, "-m", "spacy", *args], capture_output=True, text=True)
    print(r.stdout[-3000:])
    if check and r.returncode != 0:
        print(r.stderr[-3000:], file=sys.stderr)
        sys.exit(r.returncode)
    return r.stdout


run("init", "config", cfg, "--lang", lang, "--pipeline", component, "--force")
paths = ["--paths.train", train, "--paths.dev", dev]
report = run("debug", "data", cfg, *paths, check=False)
if "whitespace" in report and "No entities consisting of or starting/ending with whitespace" not in report:
    print("debug data finds entities on whitespace", file=sys.stderr)
    sys.exit(3)
run(
    "train", cfg, *paths,
    "--training.max_steps", "6", "--training.eval_frequency", "3",
    "--output", os.path.join(work, f"model-{component}"),
)
print("trained")
