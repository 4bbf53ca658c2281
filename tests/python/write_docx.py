"""Writes Word files as Word tools do (python-docx).

usage: write_docx.py ARTICLE.txt OUT.docx   one paragraph per paragraph of the text (split on
                                            blank lines), each in two runs (one bold)
       write_docx.py --images-only OUT.docx a document with a picture and no text
       write_docx.py --textbox OUT.docx     a paragraph, then a text box as Word writes it:
                                            mc:AlternateContent with a DrawingML mc:Choice
                                            and a VML mc:Fallback copy of the same text
       write_docx.py --moved OUT.docx       a tracked move: w:moveFrom (the old place) and
                                            w:moveTo (the new one)
       write_docx.py --encrypted OUT.docx   a document saved with a password (msoffcrypto)
"""
import io
import sys

import docx
from docx.oxml import parse_xml
from PIL import Image

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

TEXTBOX = f"""<w:p {NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="Tekstvak 1"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Kadertekst over Japan</w:t></w:r></w:p>
</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>
</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:144pt;height:36pt">
<v:textbox><w:txbxContent><w:p><w:r><w:t>Kadertekst over Japan</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"""

MOVED = f"""<w:p {NS}><w:r><w:t xml:space="preserve">De EU en </w:t></w:r>
<w:moveFromRangeStart w:id="1" w:author="Redactie" w:name="move1"/>
<w:moveFrom w:id="2" w:author="Redactie"><w:r><w:t xml:space="preserve">Japan </w:t></w:r></w:moveFrom>
<w:moveFromRangeEnd w:id="1"/><w:r><w:t xml:space="preserve">werken samen met </w:t></w:r>
<w:moveToRangeStart w:id="3" w:author="Redactie" w:name="move1"/>
<w:moveTo w:id="4" w:author="Redactie"><w:r><w:t>Japan</w:t></w:r></w:moveTo>
<w:moveToRangeEnd w:id="3"/><w:r><w:t>.</w:t></w:r></w:p>"""


def body_append(doc, xml):
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before w:sectPr


doc = docx.Document()
if sys.argv[1] == "--textbox":
    doc.add_paragraph("De EU en Japan werken samen.")
    body_append(doc, TEXTBOX)
elif sys.argv[1] == "--moved":
    body_append(doc, MOVED)
elif sys.argv[1] == "--encrypted":
    import msoffcrypto.format.ooxml

    doc.add_paragraph("Geheim: de EU en Japan werken samen.")
    plain = io.BytesIO()
    doc.save(plain)
    plain.seek(0)
    with open(sys.argv[2], "wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("geheim", out)
    print("ok")
    sys.exit(0)
elif sys.argv[1] == "--images-only":
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
