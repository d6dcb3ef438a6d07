"""The website as readers see it: every page of the built book opened in headless Chromium.

The site is the session's one build of the book (``site`` in ``conftest.py``), served on
localhost by a static file server, and opened page by page in one Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright; no browser is downloaded). Each page is
visited once; what the browser saw is recorded, and each test below checks one property
on every page:

- no JavaScript error or failed request, and no request leaves the site;
- every math expression rendered by MathJax, no TeX left in the text, no MathJax error;
- every image loaded with a non-zero size, every figure shown with a non-zero size;
- every internal link (page, file and ``#anchor``: cross-references, citations, the table
  of contents) resolves in the built site, and every link is relative, so the site works
  from any folder; external links are not fetched. (Sphinx 7's ``linkcheck`` builder only
  lists local links without checking them, so this test does the job.)
- one ``h1`` per page and no skipped heading level;
- the table of contents lists every chapter.

Chapter pages also get: learning goals at the top and the summary at the bottom, the page
as ``.ipynb`` and as source for download, and launch buttons for Binder, Colab and the
JupyterHub of ``_config.yml``. Then: search finds "Nesterov", the animation plays without
a kernel, every problem set is linked from its chapter and downloads as nbgrader's release,
no solution or hidden test is anywhere on the site, and the site works from ``file://``.

Screenshots of two pages are saved in ``_build/test-artifacts/`` (or in the folder named
by the environment variable ``SITE_TEST_ARTIFACTS``).

Without Chromium the browser tests are skipped with a reason; ``make test`` installs it.
"""

import functools
import html
import http.server
import json
import os
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import nbformat
import pytest
import yaml

from test_book import chapters, toc_files
from test_problem_sets import HIDDEN_MARKERS, SOLUTION_MARKERS, nbgrader_meta, secret_lines

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The flags that work on these machines: no sandbox as root, and no background traffic
# to Google's services (there is no network but the package registries).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("SITE_TEST_ARTIFACTS", ROOT / "_build" / "test-artifacts"))
COURSE_DIR = ROOT / "exercises"
PROBLEM_SETS = sorted(
    path.parent.name for path in COURSE_DIR.glob("source/*/*.ipynb") if path.stem == path.parent.name
)
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


# ----------------------------------------------------------------------------- what the browser records

# Runs in the page once it has loaded: waits for MathJax and the images, then reports.
PAGE_REPORT_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })));

  const skip = "script, style, pre, code, textarea, mjx-container, .highlight, .headerlink";
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const rawTex = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip)) continue;
    const text = node.textContent;
    if (/\$|\\[A-Za-z]+|\\[()\[\]]/.test(text)) rawTex.push(text.trim().slice(0, 120));
  }
  const math = [...document.querySelectorAll(".math")];
  const visible = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  return {
    url: location.href,
    mathElements: math.length,
    mathUnrendered: math.filter((el) => !el.querySelector("mjx-container"))
                        .map((el) => el.textContent.trim().slice(0, 120)),
    mathErrors: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")]
                  .map((el) => el.getAttribute("data-mjx-error") || el.textContent.slice(0, 120)),
    rawTex: rawTex,
    images: [...document.images].map((img) => ({
      src: img.getAttribute("src") && img.getAttribute("src").slice(0, 120),
      alt: img.getAttribute("alt"), complete: img.complete,
      width: img.naturalWidth, height: img.naturalHeight })),
    figures: [...document.querySelectorAll("figure")].map((figure) => ({
      id: figure.id, size: visible(figure) })),
    links: [...document.querySelectorAll("a[href]")].map((a) => ({
      href: a.getAttribute("href"), resolved: a.href })),
    // Headings a reader gets: rendered ones (the theme's print-only copy of the title and
    // of the page's contents is display: none on screen, and so absent to screen readers).
    headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
      .filter((h) => h.getClientRects().length > 0)
      .map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.replace(/#$/, "").trim() })),
    articleH2: [...article.querySelectorAll("h2")].map((h) => h.textContent.replace(/#$/, "").trim()),
    tocLinks: [...document.querySelectorAll("nav.bd-docs-nav a")].map((a) => a.href),
  };
}
"""


class Server:
    """A static file server for one folder on 127.0.0.1, in a background thread."""

    def __init__(self, folder):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    running = Server(site)
    yield running
    running.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium, as `make test` does), see the README")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # a declared test dependency: missing means a broken install, not a skip
        pytest.fail("the Python package playwright is missing: pip install -e '.[test]' (as `make test` does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Recorder:
    """Console errors, uncaught exceptions, failed and foreign requests of one page."""

    def __init__(self, page, allowed_prefixes):
        self.errors, self.requests_elsewhere = [], []
        self.allowed = tuple(allowed_prefixes)
        page.on("console", lambda message: message.type == "error" and self.errors.append(
            f"console.error: {message.text} ({message.location.get('url')})"))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.errors.append(
            f"request failed: {request.url[:200]} ({request.failure})"))
        page.on("response", lambda response: response.status >= 400 and self.errors.append(
            f"HTTP {response.status}: {response.url}"))
        page.on("request", lambda request: request.url.startswith(self.allowed)
                or self.requests_elsewhere.append(request.url[:200]))

    def clear(self):
        self.errors.clear()
        self.requests_elsewhere.clear()


def site_pages(site):
    """Every HTML page of the site, as paths relative to its root (``_static`` holds the
    themes' template fragments, which are not pages)."""
    return sorted(
        path.relative_to(site).as_posix() for path in site.rglob("*.html") if "_static" not in path.relative_to(site).parts
    )


@pytest.fixture(scope="session")
def visits(site, server, browser):
    """page -> what the browser saw there, for every page of the site (one visit each)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorder = Recorder(page, (server.url, "data:", "blob:", "about:"))
    reports = {}
    for name in site_pages(site):
        recorder.clear()
        redirect = re.search(r'http-equiv="refresh" content="\d+;\s*url=([^"]+)"', (site / name).read_text(), re.I)
        page.goto(server.url + name, wait_until="load")
        if redirect:  # index.html sends the reader on to the first page
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), redirect.group(1)))
            page.wait_for_url(server.url + target)
            page.wait_for_load_state("load")
        report = page.evaluate(PAGE_REPORT_JS)
        page.wait_for_timeout(200)  # late console messages
        report["errors"] = list(recorder.errors)
        report["requests_elsewhere"] = list(recorder.requests_elsewhere)
        reports[name] = report
    context.close()
    return reports


def failures(visits, check):
    """{page: problems} for the pages where ``check(report)`` lists problems."""
    found = {name: check(report) for name, report in visits.items()}
    return {name: problems for name, problems in found.items() if problems}


# ----------------------------------------------------------------------------- every page, in the browser


def test_every_page_of_the_site_is_visited(visits, site):
    for name in toc_files():
        assert f"{name}.html" in visits
    assert {"index.html", "search.html", "genindex.html"} <= set(visits)


def test_no_javascript_error_and_no_failed_request(visits):
    assert failures(visits, lambda report: report["errors"]) == {}


def test_nothing_is_loaded_from_outside_the_site(visits):
    assert failures(visits, lambda report: report["requests_elsewhere"]) == {}


def test_every_math_expression_is_rendered_by_mathjax(visits):
    assert failures(visits, lambda report: report["mathUnrendered"] + report["mathErrors"]) == {}
    assert failures(visits, lambda report: report["rawTex"]) == {}, "TeX left in the text of the page"
    for name in chapters():
        assert visits[f"{name}.html"]["mathElements"] > 10, f"{name}: the chapter should have math"


def test_every_image_and_figure_is_loaded_with_a_size(visits):
    def broken(report):
        images = [f"image {image['src']}" for image in report["images"]
                  if not (image["complete"] and image["width"] > 0 and image["height"] > 0)]
        figures = [f"figure {figure['id']}" for figure in report["figures"] if min(figure["size"]) <= 0]
        return images + figures

    assert failures(visits, broken) == {}
    for name in chapters():
        assert visits[f"{name}.html"]["figures"], f"{name}: a chapter has figures"


def test_every_image_has_alt_text(visits):
    assert failures(visits, lambda report: [image["src"] for image in report["images"] if not image["alt"]]) == {}


def test_every_internal_link_resolves_and_is_relative(visits, site, server):
    ids = {}

    def anchors(path):
        if path not in ids:
            ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(errors="replace")))
        return ids[path]

    def broken(report):
        problems = []
        for link in report["links"]:
            href, resolved = link["href"], link["resolved"]
            if not resolved.startswith(server.url):
                assert not resolved.startswith("file:"), href
                continue  # external: not fetched (no network)
            if href.startswith("/"):
                problems.append(f"{href}: absolute path, breaks when the site is not at a host's root")
            address, fragment = urldefrag(resolved)
            path = site / unquote(urlsplit(address).path[len(urlsplit(server.url).path):])
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                problems.append(f"{href}: no such file")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in anchors(path):
                problems.append(f"{href}: no #{fragment} in {path.name}")
        return problems

    assert failures(visits, broken) == {}
    total = sum(len(report["links"]) for report in visits.values())
    assert total > 500, "the pages have links (cross-references, citations, the table of contents)"


def test_citations_and_cross_references_point_into_the_site(visits):
    for name in chapters():
        hrefs = [link["href"] for link in visits[f"{name}.html"]["links"]]
        assert any(href.startswith("bibliography.html#") for href in hrefs), f"{name}: a citation"
        assert any(href.startswith("#") and len(href) > 1 for href in hrefs), f"{name}: a cross-reference"


def test_headings_are_in_order_with_one_h1_per_page(visits):
    def disorder(report):
        levels = [heading["level"] for heading in report["headings"]]
        problems = [] if levels.count(1) == 1 else [f"{levels.count(1)} h1 headings"]
        if levels and levels[0] != 1:
            problems.append(f"the first heading is an h{levels[0]}")
        for before, after, heading in zip(levels, levels[1:], report["headings"][1:]):
            if after > before + 1:
                problems.append(f"h{before} followed by h{after} ({heading['text']!r})")
        return problems

    assert failures(visits, disorder) == {}


def test_table_of_contents_lists_every_chapter_on_every_page(visits, server):
    pages = [f"{name}.html" for name in toc_files() if name != toc_files()[0]]

    def missing(report):
        listed = {urldefrag(href)[0].removeprefix(server.url) for href in report["tocLinks"]}
        return [page for page in pages if page not in listed]

    assert failures(visits, missing) == {}


@pytest.mark.parametrize("name", chapters())
def test_chapter_states_goals_first_and_summary_last(visits, name):
    sections = visits[f"{name}.html"]["articleH2"]
    assert sections[0] == "Learning goals", sections
    assert sections[-2:] == ["Summary", "Self-check questions"], sections


@pytest.mark.parametrize("name", chapters())
def test_chapter_offers_its_notebook_and_source_for_download(visits, site, name):
    hrefs = {link["href"] for link in visits[f"{name}.html"]["links"]}
    stem = posixpath.basename(name)
    notebook = f"../_sources/{name}.ipynb"
    source = f"../_sources/{name}.md"
    assert {notebook, source} <= hrefs
    downloaded = nbformat.read(site / "_sources" / f"{name}.ipynb", as_version=4)
    assert any(cell.cell_type == "code" for cell in downloaded.cells), f"{stem}.ipynb has the code cells"
    assert (site / "_sources" / f"{name}.md").read_text() == (ROOT / f"{name}.md").read_text()


@pytest.mark.parametrize("name", chapters())
def test_chapter_has_launch_buttons_from_the_configuration(visits, name):
    hrefs = [link["href"] for link in visits[f"{name}.html"]["links"]]
    repository = urlsplit(CONFIG["repository"]["url"]).path.strip("/")
    for setting in ("binderhub_url", "colab_url", "jupyterhub_url"):
        base = CONFIG["launch_buttons"][setting].rstrip("/")
        launch = [href for href in hrefs if href.startswith(base)]
        assert launch, f"no {setting} button"
        assert repository in unquote(launch[0]) and f"{name}.md" in unquote(launch[0]), launch[0]


def test_search_finds_a_term_from_a_chapter(browser, server):
    page = browser.new_page()
    page.goto(server.url + "search.html?q=Nesterov", wait_until="load")
    page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    page.close()
    assert server.url + "book/momentum.html" in [urldefrag(href)[0] for href in results], results


def test_animation_plays_in_the_page_without_a_kernel(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    recorder = Recorder(page, (server.url, "data:", "blob:", "about:"))
    page.goto(server.url + "book/momentum.html", wait_until="load")
    player = page.locator("div.animation").first
    player.scroll_into_view_if_needed()
    image = player.locator("img")
    slider = player.locator("input.anim-slider")
    page.wait_for_function("img => img.naturalWidth > 0", arg=image.element_handle())
    first_frame, first_step = image.get_attribute("src"), slider.input_value()
    assert image.get_attribute("alt")
    player.locator('button[title="Play"]').click()
    page.wait_for_timeout(1500)
    assert image.get_attribute("src") != first_frame, "the frame changes after play"
    assert int(slider.input_value()) > int(first_step)
    assert image.evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("typeof window.thebe === 'undefined'"), "no kernel: thebe is not loaded"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "momentum-animation.png")
    page.close()
    assert recorder.errors == [] and recorder.requests_elsewhere == []


def test_screenshot_of_a_chapter_with_its_problem_set(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "book/hessian.html", wait_until="load")
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate("() => window.scrollTo(0, 0)")
    box = page.locator(".problem-set").bounding_box()
    page.evaluate(f"() => window.scrollTo(0, {box['y'] + box['height'] - 850})")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "hessian-top.png")
    page.close()
    assert (ARTIFACTS / "hessian-top.png").stat().st_size > 10_000


# ----------------------------------------------------------------------------- problem sets


def test_course_has_problem_sets():
    assert PROBLEM_SETS


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_problem_set_is_linked_from_its_chapter_and_downloadable(site, ps):
    chapter = f"book/{ps}"
    assert (ROOT / f"{chapter}.md").is_file(), f"problem set {ps} needs the chapter {chapter}.md"
    assert chapter in toc_files(), f"{chapter} is not in _toc.yml"
    box = re.search(r'<div class="problem-set[^"]*">(.*?)</div>', (site / f"{chapter}.html").read_text(), flags=re.S)
    assert box, f"{chapter}.html has no problem-set box"
    assert f'download="" href="../problem-sets/{ps}.ipynb"' in box.group(1)
    released = nbformat.read(site / "problem-sets" / f"{ps}.ipynb", as_version=4)
    source = nbformat.read(COURSE_DIR / "source" / ps / f"{ps}.ipynb", as_version=4)
    assert [nbgrader_meta(cell).get("grade_id") for cell in released.cells] == [
        nbgrader_meta(cell).get("grade_id") for cell in source.cells
    ], "the released notebook keeps every cell of the source, with its nbgrader metadata"


@pytest.mark.parametrize("ps", PROBLEM_SETS)
def test_problem_set_downloads_in_the_browser(browser, server, ps):
    page = browser.new_page()
    page.goto(server.url + f"book/{ps}.html", wait_until="load")
    with page.expect_download() as download:
        page.locator(f'.problem-set a[href="../problem-sets/{ps}.ipynb"]').click()
    assert download.value.suggested_filename == f"{ps}.ipynb"
    json.loads(Path(download.value.path()).read_text())
    page.close()


def site_text_lines(site):
    """Every line of text a reader can get from the site (pages, sources, notebooks, search
    index), stripped: HTML without its tags, notebooks cell by cell."""
    lines = set()
    for path in site.rglob("*"):
        if not path.is_file() or "mathjax" in path.relative_to(site).parts:
            continue
        if path.suffix == ".ipynb":
            notebook = nbformat.read(path, as_version=4)
            for cell in notebook.cells:
                texts = [cell.source] + [str(output.get("text", "")) + json.dumps(output.get("data", {}))
                                         for output in cell.get("outputs", [])]
                lines.update(line.strip() for text in texts for line in text.splitlines())
        elif path.suffix in {".html", ".md", ".txt", ".js", ".json", ".css", ".inv"}:
            text = path.read_text(errors="replace")
            if path.suffix == ".html":
                text = html.unescape(re.sub(r"<[^>]+>", "", text))
            lines.update(line.strip() for line in text.splitlines())
    return lines


def test_site_contains_no_solution_and_no_hidden_test(site):
    published = site_text_lines(site)
    assert len(published) > 1000
    # Lines the chapters' own sources contain (`theta = np.array([1.0, 1.0])`, say) are the
    # book's text, and lines of another problem set's release are that set's public text
    # (`warnings.simplefilter("ignore")`, say), wherever else they occur.
    chapter_lines = {line.strip() for name in toc_files() for line in (ROOT / f"{name}.md").read_text().splitlines()}
    released = {
        ps: {line.strip() for cell in nbformat.read(site / "problem-sets" / f"{ps}.ipynb", as_version=4).cells
             for line in cell.source.splitlines()}
        for ps in PROBLEM_SETS
    }
    for ps in PROBLEM_SETS:
        public = chapter_lines.union(*(lines for other, lines in released.items() if other != ps))
        source = nbformat.read(COURSE_DIR / "source" / ps / f"{ps}.ipynb", as_version=4)
        solutions = secret_lines(source, SOLUTION_MARKERS, lambda cell: nbgrader_meta(cell).get("solution"),
                                 whole_cell=True)
        hidden = secret_lines(source, HIDDEN_MARKERS, lambda cell: False)
        assert solutions and hidden, f"{ps}: expected solutions and hidden tests in the source"
        # Lines as short as `return k` or `k += 1` also occur in chapters' own code.
        secrets = {line for line in solutions | hidden if len(line) >= 20} - public
        leaked = sorted(secrets & published)
        assert not leaked, f"{ps}: solution or hidden-test lines on the site: {leaked[:5]}"
    source_copies = [path for path in site.rglob("*.ipynb") if "source" in path.parts]
    assert source_copies == []


# ----------------------------------------------------------------------------- file://


def test_site_works_from_a_plain_file_open(browser, site):
    page = browser.new_page()
    recorder = Recorder(page, ("file:", "data:", "blob:", "about:"))
    page.goto((site / "index.html").as_uri(), wait_until="load")
    page.wait_for_url("**/book/intro.html")
    page.evaluate("() => MathJax.startup.promise")
    assert page.locator("mjx-container").count() > 10, "math renders on the home page"
    chapter = page.locator("nav.bd-docs-nav a", has_text="The Hessian and the condition number")
    chapter.first.click()
    page.wait_for_url("**/book/hessian.html")
    page.evaluate("() => MathJax.startup.promise")
    assert page.locator("h1").first.inner_text().startswith("The Hessian and the condition number")
    assert page.locator("mjx-container").count() > 100, "math renders on the chapter"
    assert page.locator("mjx-merror").count() == 0
    assert page.evaluate("[...document.images].every(img => img.complete && img.naturalWidth > 0)")
    page.close()
    assert recorder.errors == [] and recorder.requests_elsewhere == []
