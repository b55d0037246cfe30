#!/usr/bin/env python3
"""Remakes the QuillImages test fixtures: `python3 make-fixtures.py` from this folder.

vips (the command-line tool) encodes the pixels; this script splices in what vips cannot write on demand (EXIF with
an orientation and a GPS IFD, XMP, IPTC, comments, PNG text chunks, APNG frames, a second GIF frame, animated WebP),
with the standard library only. Every image is 40 x 30 (a grey ramp), so a swapped width and height shows.
The output is deterministic apart from what vips itself varies between versions.
"""
import os
import struct
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
W, H = 40, 30


def vips(*args):
    subprocess.run(["vips", *args], check=True)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# --- EXIF (TIFF) -----------------------------------------------------------------------------------------------------

def tiff(order, orientation=None, gps=False, extra_ascii=None):
    """A TIFF block: IFD0 with orientation, an optional ImageDescription (text held at an offset) and an optional
    GPS IFD pointer; the GPS IFD holds a version, a latitude reference and a latitude (three rationals, at an offset)."""
    e = "<" if order == "II" else ">"
    header = order.encode() + struct.pack(e + "HI", 42, 8)
    ifd0 = []  # (tag, type, count, payload bytes)
    if extra_ascii is not None:
        ifd0.append((0x010E, 2, len(extra_ascii) + 1, extra_ascii.encode() + b"\0"))
    if orientation is not None:
        ifd0.append((0x0112, 3, 1, struct.pack(e + "H", orientation)))
    if gps:
        ifd0.append((0x8825, 4, 1, None))  # offset filled in below
    ifd0_size = 2 + 12 * len(ifd0) + 4
    data_at = 8 + ifd0_size
    out_data = b""
    gps_at = None
    entries = b""
    # Lay out out-of-line values after IFD0, then the GPS IFD.
    resolved = []
    for tag, typ, count, payload in ifd0:
        if payload is not None and len(payload) > 4:
            resolved.append((tag, typ, count, struct.pack(e + "I", data_at + len(out_data))))
            out_data += payload + (b"\0" if len(payload) % 2 else b"")
        else:
            resolved.append((tag, typ, count, payload))
    if gps:
        gps_at = data_at + len(out_data)
    for tag, typ, count, payload in sorted(resolved):
        if tag == 0x8825:
            payload = struct.pack(e + "I", gps_at)
        entries += struct.pack(e + "HHI", tag, typ, count) + payload.ljust(4, b"\0")
    block = header + struct.pack(e + "H", len(ifd0)) + entries + struct.pack(e + "I", 0) + out_data
    if gps:
        lat_at = gps_at + 2 + 12 * 3 + 4
        g = struct.pack(e + "H", 3)
        g += struct.pack(e + "HHI", 0x0000, 1, 4) + bytes([2, 3, 0, 0])
        g += struct.pack(e + "HHI", 0x0001, 2, 2) + b"N\0\0\0"
        g += struct.pack(e + "HHII", 0x0002, 5, 3, lat_at)
        g += struct.pack(e + "I", 0)
        g += struct.pack(e + "IIIIII", 48, 1, 51, 1, 2406, 100)
        block += g
    return block


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Quill Fixture"/>'
       b'</rdf:RDF></x:xmpmeta>')


# --- JPEG ------------------------------------------------------------------------------------------------------------

def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


JFIF = segment(0xE0, b"JFIF\0" + bytes([1, 1, 0, 0, 1, 0, 1, 0, 0]))
ADOBE = segment(0xEE, b"Adobe" + bytes([0, 100, 0, 0, 0, 0, 1]))


def jpeg_with(base, *segments):
    """`base` with `segments` right after SOI (vips writes no APP0 when stripping)."""
    assert base[:2] == b"\xff\xd8"
    return base[:2] + b"".join(segments) + base[2:]


# --- PNG -------------------------------------------------------------------------------------------------------------

def png_chunks(data):
    i, out = 8, []
    while i < len(data):
        n = struct.unpack(">I", data[i:i + 4])[0]
        out.append((data[i + 4:i + 8], data[i + 8:i + 8 + n]))
        i += 12 + n
    return out


def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_from(chunks):
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(k, p) for k, p in chunks)


# --- GIF -------------------------------------------------------------------------------------------------------------

def gif_blocks(data):
    """(header including the global colour table, [blocks], trailer) of a GIF."""
    flags = data[10]
    i = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    header, blocks = data[:i], []
    while data[i] != 0x3B:
        start = i
        if data[i] == 0x21:
            i += 2
        else:
            lflags = data[i + 9]
            i += 10 + (3 * (2 << (lflags & 7)) if lflags & 0x80 else 0) + 1
        while data[i] != 0:
            i += 1 + data[i]
        i += 1
        blocks.append(data[start:i])
    return header, blocks, data[i:]


def sub_blocks(payload):
    return b"".join(bytes([len(payload[i:i + 255])]) + payload[i:i + 255] for i in range(0, len(payload), 255)) + b"\0"


# --- WebP ------------------------------------------------------------------------------------------------------------

def riff_chunks(data):
    i, out = 12, []
    while i + 8 <= len(data):
        n = struct.unpack("<I", data[i + 4:i + 8])[0]
        out.append((data[i:i + 4], data[i + 8:i + 8 + n]))
        i += 8 + n + (n & 1)
    return out


def riff_chunk(kind, payload):
    return kind + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")


def webp(*chunks):
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def vp8x(flags):
    return riff_chunk(b"VP8X", bytes([flags, 0, 0, 0]) + (W - 1).to_bytes(3, "little") + (H - 1).to_bytes(3, "little"))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda name: os.path.join(tmp, name)
        vips("grey", t("g.v"), str(W), str(H))
        vips("linear", t("g.v"), t("g8.v"), "255", "0", "--uchar")
        vips("bandjoin", f"{t('g8.v')} {t('g8.v')} {t('g8.v')}", t("rgb.v"))
        vips("copy", t("rgb.v"), t("a.png") + "[strip]")
        vips("copy", t("rgb.v"), t("a.jpg") + "[Q=80,strip]")
        vips("copy", t("rgb.v"), t("p.jpg") + "[Q=80,interlace,strip]")
        vips("copy", t("rgb.v"), t("a.gif") + "[strip]")
        vips("copy", t("rgb.v"), t("a.webp") + "[Q=80]")  # vips 8.14 always writes EXIF into WebP: VP8X + EXIF
        vips("copy", t("rgb.v"), t("l.webp") + "[lossless,strip]")
        vips("copy", t("rgb.v"), t("a.avif") + "[strip]")
        read = lambda name: open(t(name), "rb").read()
        png, jpg, progressive, gif = read("a.png"), read("a.jpg"), read("p.jpg"), read("a.gif")
        vips_webp, lossless_webp, avif = read("a.webp"), read("l.webp"), read("a.avif")

    # PNG: plain; with every kind of metadata (eXIf: orientation 6 and GPS, before IDAT); APNG with two frames.
    write("plain.png", png)
    chunks = png_chunks(png)
    ihdr, rest = chunks[0], chunks[1:]
    write("metadata.png", png_from([
        ihdr, (b"tEXt", b"Comment\0made by make-fixtures.py"), (b"tIME", bytes([7, 0xE8, 1, 2, 3, 4, 5])),
        (b"eXIf", tiff("MM", orientation=6, gps=True)),
        (b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP),
    ] + rest[:-1] + [(b"zTXt", b"Author\0\0" + zlib.compress(b"Quill")), rest[-1]]))
    idat = [p for k, p in rest if k == b"IDAT"]
    fctl = lambda seq: struct.pack(">IIIIIHHBB", seq, W, H, 0, 0, 1, 10, 0, 0)
    write("animated.png", png_from(
        [ihdr, (b"acTL", struct.pack(">II", 2, 0)), (b"fcTL", fctl(0))] + [(b"IDAT", p) for p in idat]
        + [(b"fcTL", fctl(1))] + [(b"fdAT", struct.pack(">I", 2 + i) + p) for i, p in enumerate(idat)]
        + [(b"IEND", b"")]))

    # JPEG: plain (no APP0: vips leaves it out when stripping); progressive; JFIF + EXIF orientation 6; GPS in a
    # big-endian EXIF with XMP, IPTC, a comment and an Adobe APP14; GPS in a little-endian EXIF.
    write("plain.jpg", jpg)
    write("progressive.jpg", progressive)
    write("orientation6.jpg", jpeg_with(jpg, JFIF, segment(0xE1, b"Exif\0\0" + tiff("II", orientation=6))))
    iptc = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0" + struct.pack(">I", 9) + b"\x1c\x02\x50\x00\x04Anne\0"
    write("gps-big-endian.jpg", jpeg_with(
        jpg, JFIF, segment(0xE1, b"Exif\0\0" + tiff("MM", orientation=8, gps=True, extra_ascii="Quill test")),
        segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + XMP), segment(0xED, iptc),
        segment(0xFE, b"a JPEG comment"), ADOBE))
    write("gps-little-endian.jpg", jpeg_with(jpg, segment(0xE1, b"Exif\0\0" + tiff("II", orientation=3, gps=True))))

    # GIF: static; two frames (the frame repeated, behind a loop extension); static with a comment.
    write("static.gif", gif)
    header, blocks, trailer = gif_blocks(gif)
    loop = b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00"
    gce = b"\x21\xF9\x04\x00\x0A\x00\x00\x00"
    frame = [b for b in blocks if b[0] == 0x2C]
    write("animated.gif", header + loop + gce + frame[0] + gce + frame[0] + trailer)
    write("comment.gif", header + b"\x21\xFE" + sub_blocks(b"a GIF comment") + b"".join(blocks) + trailer)

    # WebP: simple lossy (VP8 alone) and lossless (VP8L alone), taken out of vips's VP8X files; vips's own VP8X file
    # (EXIF chunk starting "Exif\0\0"); VP8X with a bare-TIFF EXIF (orientation 6, GPS) and XMP; animated.
    vp8 = [p for k, p in riff_chunks(vips_webp) if k == b"VP8 "][0]
    vp8l = [p for k, p in riff_chunks(lossless_webp) if k == b"VP8L"][0]
    write("lossy.webp", webp(riff_chunk(b"VP8 ", vp8)))
    write("lossless.webp", webp(riff_chunk(b"VP8L", vp8l)))
    write("vips-exif.webp", vips_webp)
    write("metadata.webp", webp(vp8x(0x08 | 0x04), riff_chunk(b"VP8 ", vp8),
                                riff_chunk(b"EXIF", tiff("II", orientation=6, gps=True)), riff_chunk(b"XMP ", XMP)))
    anmf = lambda: riff_chunk(b"ANMF", bytes(6) + (W - 1).to_bytes(3, "little") + (H - 1).to_bytes(3, "little")
                              + (100).to_bytes(3, "little") + b"\0" + riff_chunk(b"VP8 ", vp8))
    write("animated.webp", webp(vp8x(0x02), riff_chunk(b"ANIM", bytes(4) + b"\0\0"), anmf(), anmf()))

    write("plain.avif", avif)

    # SVG: written as text (the first has a BOM, an XML declaration, a comment holding a decoy <svg> and a DOCTYPE
    # with an internal subset before the root element).
    write('sized.svg', b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment with <svg width="1" height="1"> inside -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n  <!ENTITY ns "http://www.w3.org/2000/svg">\n]>\n<svg xmlns="http://www.w3.org/2000/svg"\n     width="120px" height = \'80\' viewBox="0 0 12 8">\n  <rect width="12" height="8" fill="teal"/>\n</svg>\n')
    write('viewbox.svg', b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-5,-5, 100.4 ,50.6"><circle cx="45" cy="20" r="20"/></svg>\n')
    write('percent.svg', b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="10em" viewBox="0 0 300 150"><rect width="300" height="150"/></svg>\n')
    write('one-attribute.svg', b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" viewBox="0 0 400 100"><rect width="400" height="100"/></svg>\n')
    write('unsized.svg', b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>\n')


if __name__ == "__main__":
    main()
