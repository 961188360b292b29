"""Fixtures for the docs generators' tests (scripts/docgen/)."""

import pytest

from scripts import docgen, explorer
from scripts.paths import ROOT


@pytest.fixture(scope="module")
def with_source_pages():
    """Stand-ins for the annotated-source pages, shaped as the site contract says.

    One page per implementation file with an `L<N>` id for each line, put in
    `docgen.GENERATED` as scripts/gen_docs.py does, so the generators link to
    them; the real pages are scripts/docgen/source.py's to test.
    """
    saved = dict(docgen.GENERATED)
    for _, path in explorer.source_for().files():
        count = len(path.read_text().splitlines())
        anchors = "".join(f'<span id="L{n}"></span>' for n in range(1, count + 1))
        docgen.GENERATED[docgen.source_page(path.relative_to(ROOT).as_posix())] = (
            anchors
        )
    yield
    docgen.GENERATED.clear()
    docgen.GENERATED.update(saved)
