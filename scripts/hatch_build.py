"""The build hook that lets nanokeras install only as an editable install.

nanokeras keeps its implementation in top-level packages named like Keras's
folders (`backend`, `engine`, `layers`, `utils`, ...), so that its tree reads
like Keras's. Copied into a shared site-packages, names as common as `utils`
and `backend` would overwrite or be overwritten by other distributions'. The
editable install adds nothing there but one `.pth` file naming the clone (see
`dev-mode-dirs` in pyproject.toml), so every package is imported from the
clone itself. A regular wheel would do the copying, so building one fails here
with the command to use instead; hatchling calls this hook before it collects
any file.
"""

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

REFUSAL = (
    "nanokeras installs only in editable mode. Its implementation lives in "
    "top-level packages named like Keras's folders (backend, engine, layers, "
    "utils, ...) that must not be copied into a shared site-packages, where they "
    "would clash with other distributions. Install the clone itself instead:\n"
    "    python -m pip install -e /path/to/nanokeras\n"
    "(expected an editable build, received a request for a '{version}' wheel)"
)


class EditableOnlyHook(BuildHookInterface):
    """Refuses every wheel but the editable one."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            raise RuntimeError(REFUSAL.format(version=version))
