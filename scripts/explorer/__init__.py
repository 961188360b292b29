"""The explorer's library: public paths and class chains, read from the source.

`scripts/explore.py` is its command line; the docs generators in
`scripts/docgen/` build the chain, alias and comparison pages from it.

- `source_for(package, decorator)`: where a package's files are (no import).
- `aliases(package, decorator)`: every public path -> its definition, and the
  reverse, from the export decorators (`AliasTable` of `Alias`).
- `where(public_path)`: the definition behind one public path.
- `chain(cls, runtime=False)`: the bases of a class back to the root, base
  first, with what each introduces and overrides (`Chain` of `ChainClass`).

Bad input raises `ExploreError`, whose message is one line naming what was not
found and what is close to it.
"""

from scripts.explorer.aliases import Alias, AliasTable, aliases, where
from scripts.explorer.chain import Chain, ChainClass, chain
from scripts.explorer.render import render
from scripts.explorer.source import ExploreError, Source, source_for
from scripts.explorer.static import Member

__all__ = [
    "Alias",
    "AliasTable",
    "Chain",
    "ChainClass",
    "ExploreError",
    "Member",
    "Source",
    "aliases",
    "chain",
    "render",
    "source_for",
    "where",
]
