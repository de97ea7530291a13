"""Build step that ships the data with the package (the rest of the configuration is in pyproject.toml).

``inventories/`` (the YAML the tool reads) and ``docs/`` (the documents its messages cite) live at the top of
the repository, beside ``lca/``, so they read as data rather than code. A wheel copies them into the package as
``lca/_shipped/inventories`` and ``lca/_shipped/docs``, where :mod:`lca.core.shipped` looks first; an editable
install or a checkout reads them in place.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("inventories", "docs")


class BuildPyWithData(build_py):
    """build_py, then copy the shipped folders into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return                       # an editable install reads the folders in place
        for folder in SHIPPED:
            self.copy_tree(str(Path(__file__).parent / folder), str(Path(self.build_lib) / "lca" / "_shipped" / folder))


setup(cmdclass={"build_py": BuildPyWithData})
