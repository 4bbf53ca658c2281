"""Writes Word files as Word tools do (python-docx).

usage: write_docx.py ARTICLE.txt OUT.docx   one paragraph per paragraph of the text (split on
                                            blank lines), each in two runs (one bold)
       write_docx.py --images-only OUT.docx a document with a picture and no text
"""
import io
import sys

import docx
from PIL import Image

doc = docx.Document()
if sys.argv[1] == "--images-only":
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, format="PNG")
    png.seek(0)
    doc.add_picture(png)
else:
    text = open(sys.argv[1], encoding="utf-8").read()
    for para in text.split("\n\n"):
        para = para.strip("\n")
        if not para.strip():
            continue
        p = doc.add_paragraph()
        half = len(para) // 2
        p.add_run(para[:half])
        p.add_run(para[half:]).bold = True
doc.save(sys.argv[2])
print("ok")
