"""Helpers: the visible texts of a page with the language each is in."""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
SKIP = {"script", "style"}
LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, lang)
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.html_lang = ""

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or self._lang()
        if tag == "html":
            self.html_lang = attrs.get("lang", "")
        for name in ("alt", "aria-label", "placeholder", "title"):
            if attrs.get(name):
                self._add(lang, attrs[name])
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in SKIP:
            return
        self._add(self._lang(), data)

    def _add(self, lang, text):
        text = " ".join(text.split())
        if LETTER_RE.search(text):
            self.texts.append((lang, text))


def texts_by_language(html: str) -> tuple[str, list[tuple[str, str]]]:
    """(``<html lang>``, [(language the text is in, text)]) for every visible text."""
    parser = _Texts()
    parser.feed(html)
    return parser.html_lang, parser.texts


def polish_left(polish_html: str, other_html: str, language: str) -> list[str]:
    """Texts of ``other_html`` said to be in ``language`` that are the Polish page's own
    Polish texts: strings nobody translated."""
    _lang, polish = texts_by_language(polish_html)
    polish_texts = {text for lang, text in polish if lang == "pl"}
    _lang, texts = texts_by_language(other_html)
    return [text for lang, text in texts if lang == language and text in polish_texts]
