"""The blank survey page, drawn once and served many times with a fresh form token.

A resident's first view of the survey is the busiest page of the service, and it is the
same for everyone who opens the same address in the same language — except for the
signed single-use form token. So the page is rendered once per (address, language,
``zrodlo``, survey version) with a placeholder where the token goes, kept in the
resident-page cache (core/localcache.py, so it follows the office's changes like the
office itself), and each request gets the two halves joined around its own token.

Compression is prepared the same way: the part before the token is deflated once (ending
on a byte boundary, Z_SYNC_FLUSH) and each response deflates only the short rest, then
ends the gzip member with the CRC-32 and length of the whole page. The result is an
ordinary gzip stream, byte for byte what a browser expects. (BREACH needs a secret that
repeats across responses; the token is new in every one.)
"""

import re
import struct
import zlib

from django.utils.html import escape

# Never produced by the template itself; the form token goes here.
TOKEN_SLOT = "ocenurzad-form-token-slot"  # noqa: S105 — a placeholder, not a secret
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no mtime, unknown OS
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class BlankPage:
    """A rendered page with one token slot; ``body(token, gzip=…)`` gives the bytes."""

    def __init__(self, html: str):
        head, slot, tail = html.partition(TOKEN_SLOT)
        if not slot or TOKEN_SLOT in tail:
            raise ValueError("the page must hold exactly one token slot")
        self.head = head.encode()
        self.tail = tail.encode()
        deflater = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.gzip_head = (
            _GZIP_HEADER + deflater.compress(self.head) + deflater.flush(zlib.Z_SYNC_FLUSH)
        )
        self.head_crc = zlib.crc32(self.head)

    def body(self, token: str, *, gzip: bool) -> bytes:
        rest = escape(token).encode() + self.tail
        if not gzip:
            return self.head + rest
        # The rest is a few hundred bytes: a small window and state suffice.
        deflater = zlib.compressobj(6, zlib.DEFLATED, -12, 2)
        size = (len(self.head) + len(rest)) & 0xFFFFFFFF
        return b"".join(
            (
                self.gzip_head,
                deflater.compress(rest),
                deflater.flush(),
                struct.pack("<II", zlib.crc32(rest, self.head_crc), size),
            )
        )
