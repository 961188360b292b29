"""Backlinks: which chapter explains a generated page.

The tutorials link into the annotated source, the class chains and the API
reference. Read the other way round, those links say where each generated
page is explained: `source/engine/base_layer.md` is opened by chapter 2,
section "How `__call__` runs a layer". `explained_in()` collects that from the
chapters' Markdown, and `box()` writes it at the top of the page as links back.

A class's reference page and its chain page describe the same class, so each
also lists the sections that link to the other.
"""

import posixpath
import re
from pathlib import Path

from markdown.extensions.toc import slugify

from scripts.docgen import chain_page, reference_page, relative
from scripts.paths import TUTORIALS

_CHAPTER = re.compile(r"^(\d+)-[\w-]+\.md$")
_HEADING = re.compile(r"^(#{1,3}) +(.+?)(?: +\{[^}]*#([\w.-]+)[^}]*\})? *$")
_LINK = re.compile(r"\]\(((?:\.\./)*(?:source|chain|reference)/[^)#\s]+\.md)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class Section:
    """One place in a chapter: `(number, chapter title, section title, URL)`."""

    def __init__(self, number: int, chapter: str, title: str, target: str):
        self.number, self.chapter, self.title, self.target = (
            number,
            chapter,
            title,
            target,
        )

    def key(self) -> tuple[int, str]:
        return (self.number, self.target)


def _plain(title: str) -> str:
    """A heading as text: no backticks, links or emphasis."""
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return title.replace("`", "").replace("*", "")


def explained_in(tutorials: Path = TUTORIALS) -> dict[str, list[Section]]:
    """Docs path of a generated page -> the chapter sections that link to it."""
    found: dict[str, list[Section]] = {}
    for path in sorted(tutorials.glob("*.md")):
        match = _CHAPTER.match(path.name)
        if not match:
            continue
        number, page = int(match.group(1)), f"tutorials/{path.name}"
        chapter, section, anchor = "", "", ""
        fence = None
        for line in path.read_text(encoding="utf-8").split("\n"):
            opened = _FENCE.match(line)
            if opened and fence is None:
                fence = opened.group(1)
                continue
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
                continue
            heading = _HEADING.match(line)
            if heading:
                level, text, explicit = heading.groups()
                if level == "#":
                    chapter = _plain(text)
                else:
                    section = _plain(text)
                    anchor = explicit or slugify(section, "-")
                continue
            for link in _LINK.findall(line):
                target = posixpath.normpath(posixpath.join("tutorials", link))
                where = f"{page}#{anchor}" if anchor else page
                entry = Section(number, chapter, section, where)
                entries = found.setdefault(target, [])
                if entry.key() not in {e.key() for e in entries}:
                    entries.append(entry)
    return found


def box(page: str, sections: list[Section]) -> str:
    """The "Explained in" admonition of one generated page (Markdown)."""
    links = [
        f"[chapter {s.number}, section “{s.title}”]({relative(s.target, page)})"
        if s.title
        else f"[chapter {s.number}, “{s.chapter}”]({relative(s.target, page)})"
        for s in sections
    ]
    return '!!! tip "Explained in"\n\n    ' + ";\n    ".join(links) + ".\n"


def sibling(page: str) -> str:
    """The other page about the same class: its chain page <-> its reference."""
    if page.startswith("chain/"):
        return reference_page(posixpath.splitext(page)[0].removeprefix("chain/"))
    if page.startswith("reference/"):
        public = posixpath.splitext(page)[0].removeprefix("reference/")
        return chain_page(public.replace("/", "."))
    return ""


def add_backlinks(pages: dict[str, str]) -> dict[str, str]:
    """Each generated page with its "Explained in" box under its title."""
    index = explained_in()
    result = {}
    for page, text in pages.items():
        sections = list(index.get(page, []))
        for entry in index.get(sibling(page), []):
            if entry.key() not in {s.key() for s in sections}:
                sections.append(entry)
        if not sections or not page.endswith(".md") or page.endswith("SUMMARY.md"):
            result[page] = text
            continue
        sections.sort(key=lambda s: s.number)
        title, newline, rest = text.partition("\n")
        if title.startswith("# "):
            result[page] = f"{title}\n\n{box(page, sections)}{rest}"
        else:
            result[page] = f"{box(page, sections)}\n{text}"
    return result
