"""Include each inline ``<script>`` once, so pages raise no JavaScript error.

Sphinx 7.4 adds an inline script registered with ``app.add_js_file(None, body=...)`` after
the HTML builder started twice: once as filename ``None`` (at the call) and once as ``''``
(when ``prepare_writing`` adds every registered script again). The two compare unequal, so
the page gets both copies. sphinx-thebe's ``const THEBE_JS_URL = ...`` declared twice is a
``SyntaxError`` on every page ("Identifier 'THEBE_JS_URL' has already been declared");
sphinx-togglebutton's selector is set twice, harmlessly.

This is sphinx-doc/sphinx#13402, fixed in Sphinx 8.2 by passing ``''`` for ``None`` to the
builder. Jupyter Book 1.x needs Sphinx 7, so the same fix is applied here: the HTML
builder's ``add_js_file`` gets ``''`` instead of ``None``, and the copy added later is
recognised as a duplicate.
"""


def normalize_inline_script_names(app):
    builder = app.builder
    if not hasattr(builder, "add_js_file"):
        return
    add_js_file = builder.add_js_file

    def add_js_file_once(filename, **kwargs):
        return add_js_file(filename or "", **kwargs)

    builder.add_js_file = add_js_file_once


def setup(app):
    # Before every other builder-inited listener: sphinx-togglebutton adds its script there.
    app.connect("builder-inited", normalize_inline_script_names, priority=0)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
