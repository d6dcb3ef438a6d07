"""Serve MathJax 3 from the built site instead of a CDN, so math renders offline.

The files come from the ``django-static-mathjax`` package on PyPI, which ships MathJax's
``es5`` bundle; ``mathjax_path`` in ``_config.yml`` points at the copy in ``_static``.
"""

import shutil
from importlib import resources
from pathlib import Path


def mathjax_source():
    """The folder holding MathJax's ``tex-mml-chtml.js`` and its fonts."""
    return Path(resources.files("mathjax")) / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(mathjax_source(), Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True)


def setup(app):
    if not (mathjax_source() / "tex-mml-chtml.js").is_file():
        raise RuntimeError("MathJax files not found: install django-static-mathjax (see pyproject.toml)")
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
