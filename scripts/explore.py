"""Trace a package's public API and class chains from its source.

Usage:
    python scripts/explore.py chain nanokeras.Sequential
    python scripts/explore.py chain engine.sequential.Sequential --format markdown
    python scripts/explore.py aliases
    python scripts/explore.py where nanokeras.layers.Dense
    python scripts/explore.py chain keras.Sequential --runtime
    python scripts/explore.py aliases --package keras --decorator keras_export
    python scripts/explore.py chain keras.Sequential --package keras==2.6.0
    python scripts/explore.py aliases --package keras==2.6.0 --api v1

Keras-style code keeps its implementation in one place (`engine/sequential.py`)
and gives it public names with a decorator (`@export("nanokeras.Sequential")`,
`@keras_export(...)` in Keras). This tool reads those decorators and the class
definitions *statically*, without importing anything: the export decorators
are found with a plain `ast` scan (all of Keras 3 in well under a second), and
the classes are read with griffe (`allow_inspection=False`). Code that picks
its base class while it is imported (Keras 3's `Layer` picks one per backend)
reads differently statically; `--runtime` imports it, walks `__mro__`, and says
where the two chains disagree. A chain shows the primary-base chain (each
class's first base: the book's view, `Module -> Layer -> Model -> Functional
-> Sequential`) beside the full method resolution order.

`--package keras==2.6.0` and `--package keras==3.15.1` read the pinned
reference wheels (unpacked under `.cache/reference/`, fetched if missing).
tf.keras 2.x exports with TensorFlow's API versions: `keras_export('a',
v1=['b'])` makes `a` a v2 name and `b` a v1 name; `--api v1|v2` picks one
(v2 by default for the pinned releases).

This file is only the command line: the library is the package
`scripts/explorer/` (which the docs generators import), re-exported here, so
`from scripts import explore; explore.chain("nanokeras.Model")` works too.
"""

import argparse
import json
import sys
from dataclasses import asdict

try:
    from . import paths
except ImportError:  # run by its path: Python put scripts/ first on sys.path
    import paths

# The explorer below must be this checkout's, whatever clone the virtualenv names.
paths.put_root_first()

from scripts.explorer import *  # noqa: E402, F403
from scripts.explorer import (  # noqa: E402
    AliasTable,
    ExploreError,
    aliases,
    chain,
    render,
    where,
)


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--package", help="installed package to read (default nanokeras)"
    )
    common.add_argument(
        "--decorator", help="export decorator name (default: export / <package>_export)"
    )
    common.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text"
    )
    common.add_argument(
        "--api",
        choices=("v1", "v2"),
        help="TensorFlow API version of keras_export(..., v1=...) names",
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser(
        "chain", parents=[common], help="bases of a class, base first"
    )
    one.add_argument("cls", metavar="CLASS")
    one.add_argument("--runtime", action="store_true", help="import and use __mro__")
    commands.add_parser(
        "aliases", parents=[common], help="public path <-> implementation"
    )
    two = commands.add_parser(
        "where", parents=[common], help="where a public path is defined"
    )
    two.add_argument("public_path", metavar="PUBLIC_PATH")
    args = parser.parse_args(argv)
    try:
        if args.command == "chain":
            result = chain(
                args.cls, args.package, args.decorator, args.runtime, args.api
            )
        elif args.command == "aliases":
            result = aliases(
                args.package or paths.API_PACKAGE, args.decorator, args.api
            )
        else:
            result = where(args.public_path, args.package, args.decorator, args.api)
    except ExploreError as error:
        print(f"explore: {error}", file=sys.stderr)
        return 1
    text = None
    if args.format == "json":
        data = asdict(result)
        if isinstance(result, AliasTable):  # the reverse index too
            data["reverse"] = {
                impl: [e.public_path for e in entries]
                for impl, entries in result.reverse().items()
            }
        text = json.dumps(data, indent=1)
    try:
        print(text or render(result, args.format))
    except BrokenPipeError:  # `explore.py aliases | head` closed the pipe early
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
