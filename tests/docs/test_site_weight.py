"""What the built site weighs and what search indexes.

Limits a reader on a slow connection relies on: no page over 200 KB of HTML,
the whole site under 30 MB, a search index under 1 MB that holds what each
page defines (not every inherited member again), mermaid.js only where there
is a diagram, one title per page, and a footer naming the versions compared.
"""

import json
import re
from pathlib import Path

PAGE_LIMIT = 200_000
SITE_LIMIT = 30_000_000
INDEX_LIMIT = 1_000_000


def test_no_page_is_over_200_kb(html_pages: list[Path]) -> None:
    heavy = [
        f"{page}: {page.stat().st_size:,} bytes"
        for page in html_pages
        if page.stat().st_size > PAGE_LIMIT
    ]
    assert not heavy, "\n".join(heavy)


def test_site_is_under_30_mb(site_dir: Path) -> None:
    total = sum(path.stat().st_size for path in site_dir.rglob("*") if path.is_file())
    assert total < SITE_LIMIT, f"the site weighs {total:,} bytes"


def index_docs(site_dir: Path) -> list[dict]:
    path = site_dir / "search" / "search_index.json"
    assert path.stat().st_size < INDEX_LIMIT, f"{path.stat().st_size:,} bytes"
    return json.loads(path.read_text(encoding="utf-8"))["docs"]


def test_search_index_is_small_and_skips_inherited_members(site_dir: Path) -> None:
    docs = index_docs(site_dir)
    dense = [
        d for d in docs if d["location"].startswith("reference/nanokeras/layers/Dense/")
    ]
    assert dense, "Dense's reference page is not in the search index"
    text = " ".join(d["title"] + " " + d["text"] for d in dense)
    assert "layers.core.dense.Dense.build" in " ".join(d["location"] for d in dense)
    # Layer's methods are listed on Dense's page in one line, not indexed there.
    assert "add_weight" not in text
    assert not any(d["location"].startswith(("source/", "chain/")) for d in docs)


def test_chapters_carry_a_search_boost(site_dir: Path) -> None:
    boosted = {
        d["location"].split("#")[0]
        for d in index_docs(site_dir)
        if d.get("boost", 1) > 1
    }
    chapters = sorted((site_dir / "tutorials").glob("[0-9][0-9]-*/"))
    assert chapters and all(f"tutorials/{c.name}/" in boosted for c in chapters)


def test_mermaid_js_only_on_pages_with_a_diagram(html_pages: list[Path]) -> None:
    wrong = []
    for page in html_pages:
        text = page.read_text(encoding="utf-8")
        if ("mermaid.min.js" in text) != ('class="mermaid"' in text):
            wrong.append(str(page))
    assert not wrong, "\n".join(wrong[:20])


def test_titles_are_unique(site_dir: Path, html_pages: list[Path]) -> None:
    seen: dict[str, Path] = {}
    duplicates = []
    for page in html_pages:
        if page.name == "404.html":
            continue
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"))
        assert title, page
        if title.group(1) in seen:
            duplicates.append(f"{title.group(1)!r}: {seen[title.group(1)]} and {page}")
        seen[title.group(1)] = page
    assert not duplicates, "\n".join(duplicates[:20])


def test_footer_names_the_versions_compared(site_dir: Path) -> None:
    text = (site_dir / "index.html").read_text(encoding="utf-8")
    footer = re.search(r'md-copyright__highlight">(.*?)</div>', text, re.S)
    assert footer, "no copyright line in the footer"
    assert re.fullmatch(
        r"nanokeras \d+\.\d+\.\d+ · compared with tf\.keras 2\.6\.0 "
        r"\(the book's internals\) and Keras 3\.\d+\.\d+",
        footer.group(1).strip(),
    ), footer.group(1)


def test_reference_shows_the_methods_a_learner_overrides(site_dir: Path) -> None:
    page = site_dir / "reference" / "nanokeras" / "layers" / "Dense" / "index.html"
    text = page.read_text(encoding="utf-8")
    for method in ("build", "call", "compute_output_shape", "get_config"):
        assert f'id="layers.core.dense.Dense.{method}"' in text, method
    inherited = re.search(r'id="inherited-members".*?</ul>', text, re.S)
    assert inherited, "no 'Inherited members' summary on Dense's page"
    lines = re.findall(r"<li>(.*?)</li>", inherited.group(0), re.S)
    assert len(lines) == 2, lines  # one line for Layer, one for Module
    assert "add_weight" in lines[0] and "name_scope" in lines[1]


def test_generated_pages_say_where_they_are_explained(site_dir: Path) -> None:
    for page in (
        "source/engine/base_layer/index.html",
        "chain/nanokeras.layers.Dense/index.html",
        "reference/nanokeras/layers/Dense/index.html",
    ):
        text = (site_dir / page).read_text(encoding="utf-8")
        box = re.search(r"Explained in</p>\s*<p>(.*?)</p>", text, re.S)
        assert box, f"{page} has no 'Explained in' box"
        assert re.search(
            r'<a href="[^"]*tutorials/02-layer/#[\w-]+">chapter 2, ', box[1]
        )


def test_every_chapter_ends_with_read_the_source(site_dir: Path) -> None:
    for chapter in sorted((site_dir / "tutorials").glob("[0-9][0-9]-*/index.html")):
        text = chapter.read_text(encoding="utf-8")
        assert 'id="read-the-source"' in text, chapter
        tail = text[text.index('id="read-the-source"') :]
        assert re.search(r'href="[^"]*source/[\w/]+/"', tail), chapter
