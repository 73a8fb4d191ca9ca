"""The files the tool reads at run time: the shipped model, the codebook, the heading vocabulary, the user
dictionary and the shipped labelled data.

In the project they live where its layout puts them (data/, models/); pyproject.toml maps each of them into the
wheel under classifier/_resources/ (hatchling's force-include), so an installed tool finds them inside its own
package through importlib.resources.  A source checkout (an editable install, the tests) has no
classifier/_resources/ and reads the project's files themselves, so that a retrained model or an edited codebook
is what the checkout uses.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGED = "_resources"
# The environment variable that names the model to use instead of the shipped one.
MODEL_VARIABLE = "CLASSIFIER_MODEL"
# Each resource and where it lives in the project; pyproject.toml's force-include table says the same.
PROJECT_LAYOUT = {
    "default.joblib": "models/default.joblib",
    "taxonomy.yaml": "data/taxonomy.yaml",
    "headings.yaml": "data/headings.yaml",
    "userdict.txt": "data/userdict.txt",
    "sentences.csv": "data/labeled/sentences.csv",
    "written.csv": "data/labeled/written.csv",
    "paraphrases.csv": "data/labeled/paraphrases.csv",
}


def project_root() -> Path | None:
    """The project checkout this package is imported from, or None for an installed package."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "data").is_dir() else None


def resource_path(name: str) -> Path:
    """The path of the run-time file ``name`` (a key of PROJECT_LAYOUT)."""
    packaged = importlib.resources.files("classifier") / PACKAGED / name
    if packaged.is_file():
        return Path(str(packaged))  # wheels are installed as plain files
    root = project_root()
    if root is None:
        # Only a broken install gets here: the wheel always carries every resource.
        return Path(str(packaged))
    return root / PROJECT_LAYOUT[name]
