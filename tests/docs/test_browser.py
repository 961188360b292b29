"""The built site in a real browser: Debian's chromium driven by Playwright.

What only a browser can tell: that every page runs without a console error and
asks nothing of the internet, that mermaid really draws the class chain (the
build is happy even when the diagram stays plain text), that search finds
the right pages, and that an alias link lands on the right source line.

The site is served from 127.0.0.1 by the `site_url` fixture; every request to
another host is recorded and aborted, so a stray CDN call fails the test
instead of hanging it.
"""

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Material renders each mermaid diagram into a *closed* shadow root, which no
# script (and no test) can look into. Opening every shadow root before the
# page's own scripts run lets the tests read the SVG.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attachShadow.call(this, Object.assign({}, init, { mode: "open" }));
};
"""
# True once every mermaid source block has been replaced by a drawn SVG.
MERMAID_DRAWN = """() => document.querySelectorAll("pre.mermaid").length === 0 &&
  [...document.querySelectorAll("div.mermaid")].every(
    (host) => host.shadowRoot && host.shadowRoot.querySelector("svg"))"""
# Pages loaded side by side by the sweep over every page.
TABS = 3
CHAIN = ("Module", "Layer", "Model", "Functional", "Sequential")


class Recorder:
    """Console errors, uncaught exceptions and requests that leave the site."""

    def __init__(self, site_url: str):
        self.site_url = site_url
        self.problems: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        page.on("request", self._on_request)
        return page

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _on_request(self, request) -> None:
        if not request.url.startswith((self.site_url, "data:", "blob:", "about:")):
            self.problems.append(f"request leaving the site: {request.url}")

    def outside(self) -> re.Pattern:
        """URLs that are not the site's: the browser is stopped from fetching them.

        A pattern rather than a Python predicate, so requests to the site are
        never routed through Python (that doubles the time of every page).
        """
        site = re.escape(self.site_url)
        return re.compile(rf"^(?!{site}|data:|blob:|about:)")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture(scope="session")
def browser(
    tmp_path_factory: pytest.TempPathFactory, site_url: str
) -> Iterator[tuple[BrowserContext, Recorder]]:
    """One chromium with a fresh profile, watching every request."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Install it with `make browser-deps` (runs `apt-get install -y "
            "chromium`) or run the whole `make test`.",
            pytrace=False,
        )
    recorder = Recorder(site_url)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        context.add_init_script(OPEN_SHADOW_ROOTS)
        context.route(recorder.outside(), lambda route: route.abort())
        try:
            yield context, recorder
        finally:
            context.close()


@pytest.fixture
def page(browser: tuple[BrowserContext, Recorder]) -> Iterator[Page]:
    context, recorder = browser
    recorder.take()
    page = recorder.watch(context.new_page())
    yield page
    page.close()
    problems = recorder.take()
    assert not problems, "\n".join(problems)


def open_page(page: Page, url: str) -> None:
    """Load `url` and wait until its mermaid diagrams (if any) are drawn."""
    page.goto(url, wait_until="load")
    if page.locator(".mermaid").count():
        page.wait_for_function(MERMAID_DRAWN)


def page_urls(site_url: str, site_dir: Path, html_pages: list[Path]) -> list[str]:
    urls = []
    for html in html_pages:
        relative = html.relative_to(site_dir).as_posix()
        urls.append(urljoin(site_url, re.sub(r"(^|/)index\.html$", r"\1", relative)))
    return urls


def test_every_page_loads_cleanly_and_offline(
    browser: tuple[BrowserContext, Recorder],
    site_url: str,
    site_dir: Path,
    html_pages: list[Path],
) -> None:
    """Every page: no console error, no exception, nothing fetched from outside.

    The site has hundreds of generated pages, so TABS pages load side by side;
    each tab has its own recorder, so a problem is reported with its page.
    """
    context, _ = browser
    # Material's search worker rebuilds the whole index after every full page
    # load. Here that is only CPU time per page (search has its own tests), so
    # the worker gets the real index file cut down to one entry.
    index = json.loads((site_dir / "search" / "search_index.json").read_text())
    small_index = json.dumps({**index, "docs": index["docs"][:1]})
    tabs = []
    for _ in range(TABS):
        recorder = Recorder(site_url)
        tab = recorder.watch(context.new_page())
        tab.route(
            "**/search/search_index.json",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=small_index
            ),
        )
        tabs.append((tab, recorder))
    urls = page_urls(site_url, site_dir, html_pages)
    problems = []
    for start in range(0, len(urls), TABS):
        batch = list(zip(tabs, urls[start : start + TABS]))
        try:
            with contextlib.ExitStack() as navigations:
                for (tab, _), url in batch:
                    navigations.enter_context(tab.expect_navigation(wait_until="load"))
                    tab.evaluate(
                        "url => setTimeout(() => { location.href = url; })", url
                    )
            for (tab, _), _url in batch:
                if tab.locator(".mermaid").count():
                    tab.wait_for_function(MERMAID_DRAWN)
        except Exception as error:  # a timeout is one more problem to list
            problems.append(f"{[url for _, url in batch]}: did not finish: {error}")
        for (_, recorder), url in batch:
            problems += [f"{url}: {problem}" for problem in recorder.take()]
    for tab, _ in tabs:
        tab.close()
    assert len(urls) == len(html_pages) > 10
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_sequential_chain_diagram_renders_the_five_classes(
    page: Page, site_url: str
) -> None:
    open_page(page, urljoin(site_url, "chain/"))
    # The words drawn in each diagram: node labels (HTML or SVG text), not the
    # <style> element mermaid puts in the SVG.
    drawn = page.evaluate(
        """() => [...document.querySelectorAll("div.mermaid")].map((host) =>
          [...host.shadowRoot.querySelectorAll("svg .nodeLabel, svg text")]
            .map((label) => label.textContent.trim()).join(" "))"""
    )
    assert drawn, "no mermaid diagram was drawn on the chain overview"
    complete = [
        labels
        for labels in drawn
        if all(re.search(rf"\b{name}\b", labels) for name in CHAIN)
    ]
    assert complete, f"no diagram on chain/ shows all of {CHAIN}; labels: {drawn}"


def search(page: Page, site_url: str, query: str) -> list[str]:
    """Open the home page, press `s`, type `query`; return the result links."""
    open_page(page, site_url)
    page.keyboard.press("s")
    page.locator("input.md-search__input").wait_for(state="visible")
    page.keyboard.type(query, delay=20)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(state="visible")
    return [results.nth(i).get_attribute("href") or "" for i in range(results.count())]


# Names a learner types into search: a chapter section that explains each
# must be among the first results (tutorials carry a search boost).
LESSON_SEARCHES = ("name_scope", "build", "train_step")
FIRST_RESULTS = 3


@pytest.mark.parametrize("query", LESSON_SEARCHES)
def test_search_puts_a_lesson_among_the_first_results(
    page: Page, site_url: str, query: str
) -> None:
    links = search(page, site_url, query)
    # A result is one page, with its matching sections listed under it.
    results = page.evaluate(
        """() => [...document.querySelectorAll(".md-search-result__item")].map(
          (item) => item.querySelector("a").getAttribute("href"))"""
    )
    first = results[:FIRST_RESULTS]
    assert any("/tutorials/" in link for link in first), (
        f"search for {query!r}: no chapter among the first {FIRST_RESULTS}: {links}"
    )


def test_search_for_a_class_lands_on_its_reference(page: Page, site_url: str) -> None:
    links = search(page, site_url, "Dense")
    pages = [urljoin(urljoin(site_url, link), urlsplit(link).path) for link in links]
    right = urljoin(site_url, "reference/nanokeras/layers/Dense/")
    assert right in pages[:FIRST_RESULTS], links
    page.locator(".md-search-result__item > a").nth(pages.index(right)).click()
    page.wait_for_url(re.compile("^" + re.escape(right)))
    assert "Dense" in page.locator("article h1").first.inner_text()


def drawn_boxes(page: Page) -> dict[str, list[str]]:
    """Each class box drawn on the page -> the texts of its members."""
    return page.evaluate(
        """() => {
          const found = {};
          for (const host of document.querySelectorAll("div.mermaid")) {
            for (const node of host.shadowRoot.querySelectorAll("g.node")) {
              const texts = [...node.querySelectorAll(".nodeLabel, text")]
                .map((label) => label.textContent.trim()).filter(Boolean);
              if (texts.length) found[texts[0]] = texts.slice(1);
            }
          }
          return found;
        }"""
    )


def test_chain_boxes_show_what_each_class_defines_and_open_its_source(
    page: Page, site_url: str
) -> None:
    open_page(page, urljoin(site_url, "chain/nanokeras.Sequential/"))
    boxes = drawn_boxes(page)
    members = {name: " ".join(texts) for name, texts in boxes.items()}
    for name, wanted in {
        "Layer": ("build", "call", "__call__"),
        "Model": ("compile", "fit", "train_step"),
        "Sequential": ("add",),
    }.items():
        for member in wanted:
            assert f"{member}()" in members.get(name, ""), (name, member, boxes)
    assert members.get("Functional"), f"the Functional box is empty: {boxes}"
    # The page starts with Sequential itself; its ancestors are folded.
    assert "Sequential" in page.locator("article h2").first.inner_text()
    assert page.locator("article details:not([open])").count() == 4
    # Clicking a box opens the annotated source of that class.
    links = page.evaluate(
        """() => [...document.querySelector("div.mermaid").shadowRoot
              .querySelectorAll("a")].map((a) =>
                a.getAttribute("href") || a.getAttribute("xlink:href"))"""
    )
    layer = [link for link in links if "source/engine/base_layer/#L" in link]
    assert layer, f"no box links to Layer's source: {links}"
    page.goto(urljoin(page.url, layer[0]), wait_until="load")
    assert page.evaluate("() => document.querySelector(':target')?.id", None)


def overflows(page: Page) -> list[str]:
    """What sticks out sideways: the page itself, or a code block of the
    annotated source (a 100-character line must fit its column)."""
    return page.evaluate(
        """() => {
          const found = [];
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth + 1)
            found.push(`page is ${root.scrollWidth}px wide in ${root.clientWidth}px`);
          for (const code of document.querySelectorAll(".nk-code pre > code")) {
            if (code.scrollWidth > code.clientWidth + 1) {
              const line = code.querySelector("span[id]")?.id;
              found.push(`code block at ${line} scrolls sideways`);
            }
          }
          for (const cell of document.querySelectorAll("td code, th code")) {
            if (cell.getClientRects().length > 1)
              found.push(`identifier broken across lines: ${cell.textContent}`);
          }
          return found;
        }"""
    )


def test_tutorial_and_source_pages_fit_1280_pixels(
    page: Page, site_url: str, site_dir: Path
) -> None:
    pages = sorted((site_dir / "tutorials").glob("*/index.html"))
    pages += sorted((site_dir / "source").rglob("index.html"))
    assert len(pages) > 100
    problems = []
    for html in pages:
        url = urljoin(site_url, html.parent.relative_to(site_dir).as_posix() + "/")
        page.goto(url, wait_until="load")
        problems += [f"{url}: {problem}" for problem in overflows(page)]
    assert not problems, f"{len(problems)} overflows:\n" + "\n".join(problems)


def test_source_code_column_holds_a_100_character_line(
    page: Page, site_url: str
) -> None:
    open_page(page, urljoin(site_url, "source/engine/base_layer/"))
    room = page.evaluate(
        """() => {
          const code = document.querySelector(".nk-code pre > code");
          const probe = document.createElement("span");
          probe.textContent = "x".repeat(100);
          const line = code.querySelector("span[id]");
          line.appendChild(probe);
          const fits = code.scrollWidth <= code.clientWidth + 1;
          probe.remove();
          return fits;
        }"""
    )
    assert room, "a 100-character line scrolls in the source's code column"


def test_outputs_are_labelled_and_not_copied(page: Page, site_url: str) -> None:
    open_page(page, urljoin(site_url, "tutorials/02-layer/"))
    outputs = page.locator(".nk-output")
    assert outputs.count() > 5
    assert (outputs.first.locator(".filename").text_content() or "").strip() == "Output"
    assert outputs.locator('[data-md-type="copy"]').count() == 0
    # The code blocks keep their copy button.
    assert page.locator('.language-python [data-md-type="copy"]').count() > 5


def test_chapter_offers_its_notebook(page: Page, site_url: str) -> None:
    open_page(page, urljoin(site_url, "tutorials/02-layer/"))
    button = page.locator("a.nk-notebook")
    assert button.count() == 1 and button.is_visible()
    href = button.get_attribute("href") or ""
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, href
    notebook = response.json()
    assert notebook["nbformat"] == 4
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("class SimpleDense" in "".join(cell["source"]) for cell in code)


@pytest.mark.parametrize(
    ("public_path", "source_page"),
    [
        ("nanokeras.Module", "source/backend/module/"),
        ("nanokeras.layers.Dense", "source/layers/core/dense/"),
    ],
)
def test_alias_link_lands_on_the_annotated_source_line(
    page: Page, site_url: str, public_path: str, source_page: str
) -> None:
    open_page(page, urljoin(site_url, "aliases/"))
    row = page.locator(
        "tr",
        has=page.locator("code", has_text=re.compile(f"^{re.escape(public_path)}$")),
    )
    link = row.locator(f"a[href*='{source_page}#L']").first
    href = link.get_attribute("href") or ""
    line = re.search(r"#L(\d+)$", href)
    assert line, f"the alias row of {public_path} links to {href!r}, not a source line"
    anchor_id = f"L{line.group(1)}"
    link.click()
    page.wait_for_url(re.compile(re.escape(source_page) + r"#L\d+$"))
    assert page.evaluate("() => document.querySelector(':target')?.id") == anchor_id
    assert in_viewport(page, anchor_id), f"#{anchor_id} is not in view"
    name = public_path.rpartition(".")[2]
    text = line_text(page, anchor_id)
    export_or_class = rf'@export\(.*"{re.escape(public_path)}"|class {name}\b'
    assert re.search(export_or_class, text), f"#{anchor_id} is the line {text!r}"


def in_viewport(page: Page, element_id: str) -> bool:
    """The element's top edge is inside the window (not under the header)."""
    return page.evaluate(
        """(id) => {
          const box = document.getElementById(id).getBoundingClientRect();
          const header = document.querySelector(".md-header");
          const top = header ? header.getBoundingClientRect().bottom : 0;
          return box.top >= top - 1 && box.top < window.innerHeight;
        }""",
        element_id,
    )


def line_text(page: Page, element_id: str) -> str:
    """The source line an `L<N>` anchor marks.

    The anchor may wrap the line or be an empty marker placed before it; then
    the line is the text between it and the next line's marker.
    """
    return page.evaluate(
        """(id) => {
          const marker = document.getElementById(id);
          if (marker.textContent.trim()) return marker.textContent;
          const next = document.getElementById("L" + (Number(id.slice(1)) + 1));
          const range = document.createRange();
          range.setStartAfter(marker);
          if (next) range.setEndBefore(next);
          else range.setEndAfter(marker.parentNode.lastChild);
          return range.toString();
        }""",
        element_id,
    )


def test_trace_node_expands_and_its_link_lands_on_the_def_line(
    page: Page, site_url: str
) -> None:
    """On the fit trace: open the nodes above `train_step`, follow its link."""
    open_page(page, urljoin(site_url, "traces/fit/"))
    ours = page.locator(".nk-trace-pair > div").first
    step_link = ours.locator("a", has_text=re.compile(r"^Model\.train_step$")).first
    assert not step_link.is_visible(), "train_step is shown before its caller opens"
    link = step_link.element_handle()
    opened = []
    while True:
        # The outermost closed node above the link's own line.
        closed = link.evaluate_handle(
            """(a) => {
              let found = null;
              let node = a.closest("details").parentElement.closest("details");
              for (; node; node = node.parentElement.closest("details"))
                if (!node.open) found = node;
              return found;
            }"""
        ).as_element()
        if closed is None:
            break
        # A click on the summary's text (not its link) opens the node.
        closed.query_selector(":scope > summary .nk-trace-args").click()
        assert closed.evaluate("node => node.open"), "the click did not open it"
        opened.append(closed.query_selector(":scope > summary code").inner_text())
    assert opened, "train_step was hidden, yet no closed node was above it"
    callers = link.evaluate(
        """(a) => {
          const names = [];
          let node = a.closest("details").parentElement.closest("details");
          for (; node; node = node.parentElement.closest("details"))
            names.push(node.querySelector(":scope > summary code").textContent);
          return names;
        }"""
    )
    assert any(name.endswith("<locals>.function") for name in callers), callers
    step_link.wait_for(state="visible")
    href = step_link.get_attribute("href") or ""
    line = re.search(r"source/engine/training/#L(\d+)$", href)
    assert line, f"train_step links to {href!r}"
    step_link.click()
    page.wait_for_url(re.compile(r"source/engine/training/#L\d+$"))
    anchor_id = f"L{line.group(1)}"
    assert page.evaluate("() => document.querySelector(':target')?.id") == anchor_id
    assert in_viewport(page, anchor_id), f"#{anchor_id} is not in view"
    assert re.match(r"\s*def train_step\(", line_text(page, anchor_id))


def test_real_keras_sequential_chain_draws_five_classes_with_pinned_links(
    page: Page, site_url: str
) -> None:
    """keras 2.6's Sequential: the book's chain drawn, every link at the tag."""
    open_page(page, urljoin(site_url, "real-keras/keras2/chain/Sequential/"))
    diagrams = page.evaluate(
        """() => [...document.querySelectorAll("div.mermaid")].map((host) =>
          [...host.shadowRoot.querySelectorAll("svg g.node")].map((node) =>
            [...node.querySelectorAll(".nodeLabel, text")]
              .map((label) => label.textContent.trim()).join(" ")))"""
    )
    assert diagrams, "the primary-chain diagram was not drawn"
    nodes = diagrams[0]
    assert len(nodes) == 5, nodes
    for name in ("tf.Module", "Layer", "Model", "Functional", "Sequential"):
        assert any(re.search(rf"(^|\s){re.escape(name)}(\s|$)", n) for n in nodes), (
            name,
            nodes,
        )
    links = page.evaluate(
        """() => [...document.querySelectorAll("a[href*='github.com/keras-team']")]
          .map((a) => a.href)"""
    )
    assert len(links) > 100
    pinned = "https://github.com/keras-team/keras/blob/v2.6.0/keras/"
    assert [link for link in links if not link.startswith(pinned)] == []


def test_another_public_path_opens_the_main_page_at_the_same_anchor(
    page: Page, site_url: str
) -> None:
    """`nanokeras.models.Model` has no page of its own: its URL leads to
    `nanokeras.Model`'s, and a link to one of its methods still lands there."""
    anchor = "engine.training.Model.fit"
    page.goto(urljoin(site_url, f"reference/nanokeras/models/Model/#{anchor}"))
    page.wait_for_url(re.compile(r".*/reference/nanokeras/Model/#"), wait_until="load")
    assert page.url.endswith(f"/reference/nanokeras/Model/#{anchor}")
    assert page.evaluate("() => document.querySelector(':target')?.id") == anchor
    assert page.title() == "nanokeras.Model - nanokeras"
