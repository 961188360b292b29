"""Every link of the built site resolves, and the site loads nothing from outside.

The site must work offline and its generated pages link to each other by
line anchors (`source/engine/base_layer/#L42`). `mkdocs build --strict` checks
Markdown links, but not the HTML that plugins write, nor the `#anchors` of
generated tables, nor what the theme loads. These tests read the built HTML.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# Attributes through which a page makes the browser fetch something.
_LOADING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
    "input": ("src",),
}
# <link rel=...> values that make the browser fetch the target.
_LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "modulepreload",
    "manifest",
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
_SITE = "http://site.invalid/"  # a base URL to resolve relative links against


def is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//", url))


class PageScanner(HTMLParser):
    """Collects a page's ids, its links, and the URLs it loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url) to check for existence
        self.loads: list[tuple[str, str]] = []  # (tag, url) the browser fetches
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(key):
                self.ids.add(attributes[key])
        if attributes.get("style"):
            self.css.append(attributes["style"])
        if tag == "style":
            self._in_style = True
        if tag == "a" and "href" in attributes:
            self.links.append((tag, attributes["href"]))
        if tag == "link" and "href" in attributes:
            rels = set(attributes.get("rel", "").lower().split())
            if rels & _LOADING_RELS:
                self.loads.append(
                    (f"link rel={attributes.get('rel')}", attributes["href"])
                )
            self.links.append((tag, attributes["href"]))
        for name in _LOADING_ATTRIBUTES.get(tag, ()):
            if attributes.get(name):
                for url in _split_srcset(attributes[name], name):
                    self.loads.append((tag, url))
                    self.links.append((tag, url))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


def _split_srcset(value: str, attribute: str) -> list[str]:
    if attribute != "srcset":
        return [value]
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def scan(page: Path) -> PageScanner:
    scanner = PageScanner()
    scanner.feed(page.read_text(encoding="utf-8"))
    scanner.close()
    return scanner


def page_url(site_dir: Path, page: Path) -> str:
    return urljoin(_SITE, page.relative_to(site_dir).as_posix())


def target_file(site_dir: Path, url: str) -> Path | None:
    """The file a same-site URL serves, as a static server would; None if none."""
    path = unquote(urlsplit(url).path)
    if not path.startswith("/"):
        return None
    candidate = site_dir / path.lstrip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


@pytest.fixture(scope="session")
def scanned(site_dir: Path, html_pages: list[Path]) -> dict[Path, PageScanner]:
    return {page: scan(page) for page in html_pages}


def test_site_has_the_contract_pages(site_dir: Path) -> None:
    """The pages everything else links to exist (the site contract's URLs)."""
    expected = [
        "index.html",
        "tutorials/index.html",
        "chain/index.html",
        "chain/nanokeras.Sequential/index.html",
        "aliases/index.html",
        "aliases/reverse/index.html",
        "reference/index.html",
        "keras-comparison/index.html",
        "source/backend/module/index.html",
        "search/search_index.json",
    ]
    missing = [path for path in expected if not (site_dir / path).is_file()]
    assert not missing, f"pages missing from the built site: {missing}"


def test_every_internal_link_and_anchor_resolves(
    site_dir: Path, scanned: dict[Path, PageScanner]
) -> None:
    ids_of = {page: scanner.ids for page, scanner in scanned.items()}
    broken = []
    checked = 0
    for page, scanner in scanned.items():
        base = page_url(site_dir, page)
        for tag, link in scanner.links:
            if is_external(link) or re.match(r"^(mailto|javascript|data|tel):", link):
                continue
            url = urljoin(base, link)
            if not url.startswith(_SITE):
                continue
            checked += 1
            where = f"{page.relative_to(site_dir)}: <{tag}> {link!r}"
            target = target_file(site_dir, url)
            if target is None:
                broken.append(f"{where} -> no such file")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if not fragment or target.suffix != ".html":
                continue
            ids = ids_of.get(target)
            if ids is None:
                ids = ids_of[target] = scan(target).ids
            if fragment not in ids:
                broken.append(
                    f"{where} -> no id {fragment!r} in {target.relative_to(site_dir)}"
                )
    assert checked > 0, "no internal links found: is the site empty?"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)


def test_nothing_is_loaded_from_outside_the_site(
    site_dir: Path, scanned: dict[Path, PageScanner]
) -> None:
    offenders = []
    for page, scanner in scanned.items():
        name = page.relative_to(site_dir)
        for tag, url in scanner.loads:
            if is_external(url):
                offenders.append(f"{name}: <{tag}> loads {url}")
        for css in scanner.css:
            for url in _css_urls(css):
                offenders.append(f"{name}: inline style loads {url}")
    for stylesheet in sorted(site_dir.rglob("*.css")):
        for url in _css_urls(stylesheet.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{stylesheet.relative_to(site_dir)}: loads {url}")
    assert not offenders, (
        f"{len(offenders)} resources from outside the site (it must work "
        "offline):\n" + "\n".join(offenders)
    )


def _css_urls(css: str) -> list[str]:
    urls = (first or second for first, second in _CSS_URL.findall(css))
    return [url for url in urls if is_external(url)]


def test_scanner_catches_broken_anchors_and_external_scripts(tmp_path: Path) -> None:
    """The checks above can fail: a page with one of each offence is caught."""
    page = tmp_path / "index.html"
    page.write_text(
        '<a id="here" href="#nowhere">x</a><a href="#here">ok</a>'
        '<script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/f.css">'
        '<a href="https://example.org/">plain outbound links are fine</a>'
        "<style>@font-face { src: url(https://fonts.example/f.woff2) }</style>",
        encoding="utf-8",
    )
    scanner = scan(page)
    assert scanner.ids == {"here"}
    assert ("a", "#nowhere") in scanner.links
    external = [url for _, url in scanner.loads if is_external(url)]
    assert external == ["https://cdn.example/x.js", "//fonts.example/f.css"]
    assert _css_urls(" ".join(scanner.css)) == ["https://fonts.example/f.woff2"]
    assert target_file(tmp_path, urljoin(_SITE, "index.html#nowhere")) == page
    assert target_file(tmp_path, urljoin(_SITE, "missing/")) is None


def test_pages_with_diagrams_load_the_sites_own_mermaid(
    site_dir: Path, scanned: dict[Path, PageScanner]
) -> None:
    """Material fetches mermaid.js from a CDN when a page has a diagram but no
    global `mermaid`: every page with a diagram must load the local copy."""
    local = site_dir / "assets" / "javascripts" / "mermaid.min.js"
    assert local.is_file(), (
        f"{local} is missing: run `make docs/assets/javascripts/mermaid.min.js`"
    )
    missing = []
    for page, scanner in scanned.items():
        if 'class="mermaid"' not in page.read_text(encoding="utf-8"):
            continue
        scripts = {
            target_file(site_dir, urljoin(page_url(site_dir, page), url))
            for tag, url in scanner.loads
            if tag == "script"
        }
        if local not in scripts:
            missing.append(str(page.relative_to(site_dir)))
    assert not missing, "pages with a diagram but no local mermaid.js:\n" + "\n".join(
        missing
    )
