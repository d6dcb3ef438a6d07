"""The book: builds with no warnings, caches execution, serves its math, follows the page rhythm.

The book is built twice into temporary folders with the repository's execution cache
(``_build/.jupyter_cache``): the first build may execute chapters, the second, into a
fresh output folder, must take every chapter from the cache. The first build is the
session's shared one (``first_build`` in ``conftest.py``), which tests/test_site.py opens
in a browser.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files():
    """Every document named in ``_toc.yml``, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def chapters():
    """The documents that are notebooks (they execute code), as opposed to plain pages."""
    return [f for f in toc_files() if "kernelspec:" in (ROOT / f"{f}.md").read_text()]


@pytest.fixture(scope="module")
def rebuild(first_build, book_builder, tmp_path_factory):
    return book_builder(tmp_path_factory.mktemp("rebuild"))


@pytest.fixture(scope="module")
def html(site):
    return site


def test_book_builds_with_warnings_as_errors(first_build):
    result, _ = first_build
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    assert "build succeeded" in result.stdout


def test_rebuild_without_changes_executes_nothing(rebuild):
    result, _ = rebuild
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    executed = [line for line in result.stdout.splitlines() if "Executing notebook" in line]
    assert executed == []
    assert result.stdout.count("Using cached notebook") == len(chapters())


def test_every_toc_entry_becomes_a_page(html):
    for name in toc_files():
        assert (html / f"{name}.html").is_file(), name
    assert (html / "index.html").is_file()


def test_math_is_served_from_the_site_not_a_cdn(html):
    assert (html / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    assert (html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    for page in html.rglob("*.html"):
        text = page.read_text()
        scripts = re.findall(r'<script[^>]*src="([^"]*)"', text)
        assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], page
        if "mathjax" in text.lower() and "tex-mml-chtml" in text:
            assert re.search(r'src="(\.\./)*_static/mathjax/tex-mml-chtml\.js"', text), page


@pytest.mark.parametrize("name", chapters())
def test_chapter_follows_the_page_rhythm(html, name):
    text = (html / f"{name}.html").read_text()
    assert re.search(r"<h2>Learning goals", text), "learning goals at the top"
    assert re.search(r"<h2>Summary", text), "a summary at the end"
    assert re.search(r"<h2>Self-check questions", text), "self-check questions"
    assert text.index("Learning goals") < text.index("Summary") < text.index("Self-check questions")
    exercises = len(re.findall(r'class="exercise admonition', text))
    assert exercises >= 3, "at least three self-check questions"
    assert len(re.findall(r'class="solution dropdown admonition', text)) == exercises, "each answer folds out"
    assert re.search(r'class="[^"]*algorithm', text), "a prf:algorithm box"
    figures = re.findall(r"<figure.*?</figure>", text, flags=re.S)
    assert figures, "at least one figure"
    for figure in figures:
        assert "<figcaption" in figure, "every figure has a caption"
        assert re.search(r'<img [^>]*alt="[^"]+"', figure), "every figure has alt text"


def test_bibliography_lists_exactly_the_cited_papers(html):
    cited = set()
    for name in toc_files():
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", (ROOT / f"{name}.md").read_text()):
            cited.update(key.strip() for key in group.split(","))
    bib = (ROOT / "book" / "references.bib").read_text()
    assert cited <= set(re.findall(r"@\w+\{([^,]+),", bib))
    text = (html / "book" / "bibliography.html").read_text()
    assert text.count('role="doc-biblioentry"') == len(cited)


def test_every_equation_a_docstring_cites_is_labelled_in_the_book():
    labels = set()
    for name in toc_files():
        labels.update(re.findall(r"^:label: (eq-[\w-]+)", (ROOT / f"{name}.md").read_text(), flags=re.M))
    algorithms = set()
    for name in toc_files():
        algorithms.update(re.findall(r"^:label: (alg-[\w-]+)", (ROOT / f"{name}.md").read_text(), flags=re.M))
    cited = set()
    for module in (ROOT / "course_opt").glob("*.py"):
        cited.update(re.findall(r"\(book: ((?:eq|alg)-[\w-]+)\)", module.read_text()))
    assert cited, "the docstrings cite the book's equations"
    assert cited - labels - algorithms == set()
