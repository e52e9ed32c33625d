"""Build hook: the wheel carries ontology/, shapes/, queries/ and data/ inside the package (kg/_resources).

They stay at the top of the repository (the design card's layout); kg.resources finds them in either place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("ontology", "shapes", "queries", "data")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "kg" / "_resources"
        for name in RESOURCES:
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithResources})
