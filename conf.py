# Sphinx configuration of the metalio site.
#
# `make docs` runs Doxygen first (docs/Doxyfile -> build/doxygen/xml), then
# sphinx-build -W -n --keep-going, so a stale literalinclude marker or an
# unresolved cross-reference fails the build.
import os
import re
import sys

project = "metalio"
author = "the metalio developers"
copyright = "2026, the metalio developers"
release = "0.1.0"

# docs/_ext: the site's own directives (syscall-transcript: what the kernel
# sees when a chapter's example runs, checked by tests/tools/transcripts.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs", "_ext"))

extensions = [
    "breathe",
    "sphinx.ext.graphviz",
    "sphinx.ext.extlinks",
    "sphinx_copybutton",
    "sphinx_inline_tabs",
    "syscall_transcript",
]

root = os.path.dirname(os.path.abspath(__file__))
breathe_projects = {"metalio": os.path.join(root, "build", "doxygen", "xml")}
breathe_default_project = "metalio"
breathe_default_members = ()

primary_domain = "cpp"
highlight_language = "cpp"
cpp_index_common_prefix = ["metalio::"]

# The site is built from the repository root: only index.rst, chapters/ and
# docs/ are pages.
exclude_patterns = [
    "build", "_build", ".git", ".ci", "code", "tests", "exercises", "bench", "cmake",
    "README.md", "README.zh_CN.md", "docs/Doxyfile", "docs/bench-last-run", "locales",
]

# The Chinese edition (tests/tools/docs.sh builds it with -D language=zh_CN
# into build/site/zh_CN): one catalog per page,
# locales/zh_CN/LC_MESSAGES/<page>.po, kept complete and in step with the
# English text by tests/tools/i18n.py. The API pages (docs/api) have no
# catalog and stay English. `-t i18n_extract` (i18n.py's gettext run) leaves
# them out, so extracting the messages needs no Doxygen XML.
locale_dirs = ["locales"]
gettext_compact = False
gettext_additional_targets = []
if tags.has("i18n_extract"):  # noqa: F821 (Sphinx defines `tags` for conf.py)
    exclude_patterns.append("docs/api")
    suppress_warnings = ["toc.not_readable", "toc.excluded"]  # index's link to docs/api/index
# The editions this site is built in: the switch on every page
# (docs/_templates/page.html) links to the same page in the other one.
# English is at the root of build/site, Chinese under build/site/zh_CN/.
SITE_LANGUAGES = {"en": ("", "English"), "zh_CN": ("zh_CN/", "简体中文")}
templates_path = ["docs/_templates"]
# Chinese search: Sphinx splits Chinese text into words with jieba
# (Debian's python3-jieba); without it no Chinese word would be indexed.
# The glossary's terms are added to jieba's dictionary, so that a term such
# as 边缘触发 is one word in the index, as a reader types it.
html_search_options = {"dict": os.path.join(root, "docs", "search-words.zh_CN.txt")}


def _require_jieba(app):
    """Without jieba, Sphinx's Chinese search indexes no Chinese word at all
    (and says nothing): the Chinese edition needs it. jieba also announces
    how it loads its dictionary on every build; keep it quiet like -q."""
    if not (app.config.language or "").startswith("zh") or app.builder.format != "html":
        return
    try:
        import jieba
    except ImportError:
        from sphinx.errors import ExtensionError
        raise ExtensionError("the Chinese search needs jieba: install Debian's python3-jieba (make deps does)")
    import logging
    jieba.setLogLevel(logging.WARNING)

# mio at the commit the source article reads, and at the 1.x release we compare with.
MIO_ARTICLE = "14f37f283576040c8763f45de6c2b2bbcb82436d"
MIO_1X = "v1.0.4"
# tokio at the release chapter 09 compares the runtime with.
TOKIO = "tokio-1.40.0"
extlinks = {
    "mio-article": (f"https://github.com/tokio-rs/mio/blob/{MIO_ARTICLE}/%s", "%s"),
    "mio": (f"https://github.com/tokio-rs/mio/blob/{MIO_1X}/%s", "%s"),
    "man": ("https://man7.org/linux/man-pages/%s.html", "%s"),
    "tokio": (f"https://github.com/tokio-rs/tokio/blob/{TOKIO}/tokio/%s", "%s"),
}

html_theme = "furo"
html_title = "metalio — mio, rebuilt in C++23"
html_static_path = ["docs/_static"]
html_css_files = ["metalio.css"]
# Without an icon the browser asks for /favicon.ico, a 404 on every first visit.
html_favicon = "docs/_static/favicon.svg"
graphviz_output_format = "svg"
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True

# Namespaces are not objects in Sphinx's C++ domain, so with -n every
# "metalio::sys::" prefix in a signature would be an "unresolved reference".
# Ignore exactly the namespace names; every class, function and type of
# metalio must still resolve.
_namespaces = (r"(metalio(::(io|sys|fault|unix|net|epoll|poll|kqueue|selector|rt|posix|udp|uds|pipe|fd_io|windows|iocp|afd|uring|ring))*"
               r"|io|sys|fault|unix|net|epoll|poll|kqueue|selector|rt|posix|udp|uds|pipe|fd_io|windows|iocp|afd|uring|ring)"
               r"(::(windows|afd))*")
nitpick_ignore_regex = [(r"cpp:identifier", _namespaces)]
# The kqueue selector's records are the system's C structs (struct kevent,
# struct timespec), which no page of this site declares.
nitpick_ignore_regex += [(r"cpp:identifier", r"(::)?(kevent|timespec)")]
# Stage 10's ring is the kernel's own records (<linux/io_uring.h>).
nitpick_ignore_regex += [(r"cpp:identifier", r"(io_uring_params|io_sqring_offsets|io_cqring_offsets|io_uring_sqe|io_uring_cqe)")]

# Two spellings that Breathe copies from declarations but Sphinx cannot
# resolve: the private bit constants in Interest's constant initializers
# (Interest::READABLE{kReadable}), and the right-hand side of
# `using Selector = selector::Selector`, where `selector` is a namespace
# alias chosen at configure time. The types they name are documented.
nitpick_ignore_regex += [
    # Types of the Windows SDK in the Windows signatures (<windows.h>,
    # <winsock2.h>, <winternl.h>): the site documents metalio, not Win32.
    (r"cpp:identifier", r"(HANDLE|SOCKET|BOOL|LONG|ULONG|ULONG_PTR|NTSTATUS|IO_STATUS_BLOCK|LARGE_INTEGER|WSABUF)"),
    (r"cpp:identifier", r"k(Readable|Writable|Priority)"),
    (r"cpp:identifier", r"selector::(Selector|Event)"),
    # The member type of a dependent type in rt::OutputOf's definition
    # (`typename TaskOf<Awaitable>::value_type`); Task::value_type is documented.
    (r"cpp:identifier", r"TaskOf<\w+>::value_type"),
    # rt::Registration::create's return type: Sphinx stopped resolving it
    # when Registration gained its public move constructor and members
    # (which one makes the difference is not pinned down); the class and
    # io::Result are both documented.
    (r"cpp:identifier", r"io::Result<Registration>"),
]

# Each api page names its headers in its first lines. Breathe would also
# render an "#include" line under a concept, linking to a per-file page that
# the site does not have (an unresolved label under -n).
breathe_show_include = False


# Debian's furo package ships the theme's JavaScript as an ES module
# (furo.js starts with `import Gumshoe from "./gumshoe-patched.js"`) but the
# theme loads it as a classic <script>, so every page logs "Cannot use import
# statement outside a module", the dark/light toggle never appears (furo.js
# is what removes the `no-js` class that hides it) and the scroll spy is dead.
# Its furo.css also imports normalize.css from /javascript/..., a path only a
# Debian web server alias provides (a 404 under `make serve`), and lacks the
# rule that turns the default "auto" theme dark on a dark system. After each
# build, rewrite the two copied assets from Debian's own files: gumshoe (a
# UMD script that defines window.Gumshoe) followed by furo.js without its
# import line, and furo.css importing a copy of Debian's normalize.css that
# sits beside it. Nothing of the theme is kept in this repository.
NORMALIZE_CSS = "/usr/share/javascript/normalize.css/normalize.css"


def _repair_debian_furo(app, exception):
    if exception is not None or app.builder.format != "html" or html_theme != "furo":
        return
    import furo
    import shutil

    source = os.path.join(os.path.dirname(furo.__file__), "theme", "furo", "static")
    out = os.path.join(app.outdir, "_static")
    script = open(os.path.join(source, "scripts", "furo.js")).read()
    if re.search(r"^import ", script, re.M):
        gumshoe = open(os.path.join(source, "scripts", "gumshoe-patched.js")).read()
        script = re.sub(r"^import .*$", "", script, flags=re.M)
        with open(os.path.join(out, "scripts", "furo.js"), "w") as f:
            f.write(gumshoe + "\n;\n" + script)
    css_path = os.path.join(out, "styles", "furo.css")
    css = open(css_path).read()
    absolute = re.search(r"@import url\((/[^)]*normalize\.css)\);", css)
    if absolute:
        if not os.path.exists(NORMALIZE_CSS):
            raise RuntimeError(f"furo.css imports {absolute.group(1)}; install node-normalize.css")
        shutil.copy(NORMALIZE_CSS, os.path.join(out, "styles", "normalize.css"))
        css = css.replace(absolute.group(0), "@import url(normalize.css);")
    # Debian's compiled furo.css has the dark colours only for an explicit
    # dark choice (body[data-theme="dark"]), not the rule that applies them
    # in the default "auto" theme when the system prefers dark; so with a
    # dark desktop only the code blocks (whose rule is in the page) turned
    # dark. Add that rule, with the same colours.
    dark = re.search(r'body\[data-theme="dark"\] \{([^}]*)\}', css)
    if dark and "prefers-color-scheme" not in css:
        css += (
            "\n/* added by metalio's conf.py: the auto theme follows a dark system */\n"
            "@media not print { @media (prefers-color-scheme: dark) {\n"
            f'  body:not([data-theme="light"]) {{{dark.group(1)}}}\n'
            '  html body:not([data-theme="light"]) .only-light { display: none !important; }\n'
            '  body:not([data-theme="light"]) .only-dark { display: block !important; }\n'
            "} }\n"
        )
    with open(css_path, "w") as f:
        f.write(css)


# Excerpts show what a reader should read. The quoted headers also feed
# Doxygen, whose markup means nothing on the page: `/// @cond` lines (which
# hide internals from the API reference), `\#` (an escaped `#`) and `@p name`
# (a parameter name in code font). Before the page is written, each
# literalinclude block drops the @cond/@endcond lines and shows `#` and
# `name`; the files themselves keep the markup Doxygen needs. The same pass
# drops the marker lines (`// [name]`) of a smaller excerpt nested inside a
# larger one.
_DOXYGEN_ONLY_LINE = re.compile(
    r"^[ \t]*(///?[/!]?[ \t]*[@\\](cond|endcond)\b.*|// \[[\w-]+\][ \t]*)(\n|$)", re.M)
_DOXYGEN_INLINE = [(re.compile(r"\\#"), "#"), (re.compile(r"[@\\]p[ \t]+(\w)"), r"\1")]


def _strip_doxygen_markup(app, doctree):
    from docutils import nodes

    for block in doctree.findall(nodes.literal_block):
        if "source" not in block or block.rawsource != block.astext():
            continue  # only literalinclude blocks (they carry their file)
        text = _DOXYGEN_ONLY_LINE.sub("", block.astext())
        for pattern, replacement in _DOXYGEN_INLINE:
            text = pattern.sub(replacement, text)
        if text != block.astext():
            block.rawsource = text
            block.clear()
            block += nodes.Text(text)


# The caption of an excerpt is its file's path. In a narrow window a long
# path must break, but only after a "/": each directory goes into a span
# that does not break (metalio.css), with a break opportunity after its
# slash, so no name is cut in the middle or at one of its hyphens.
def _breakable_path_captions(app, doctree):
    import html
    from docutils import nodes

    for caption in doctree.findall(nodes.caption):
        container = caption.parent
        text = caption.astext()
        if not container.get("literal_block") or "/" not in text or " " in text:
            continue
        parts = re.findall(r"[^/]*/|[^/]+$", text)
        markup = "<wbr>".join(f'<span class="path-part">{html.escape(part)}</span>' for part in parts)
        caption.clear()
        caption += nodes.raw("", markup, format="html")


# An id must be unique on its page. Two sources repeat one: furo wraps every
# table in a container and copies all the table's attributes onto it, its
# id included (a captioned table had its id twice, chapter 02); and Breathe
# gives every class's "Public Functions" heading the same id, so an API page
# with several classes repeats it. Run after furo's wrapper (priority 500):
# the wrapper gives its id back to the table, where links point, and a
# repeated heading id gets a number (-2, -3, ...); nothing links to those.
def _unique_ids():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class UniqueIds(SphinxPostTransform):
        formats = ("html",)
        default_priority = 501

        def run(self, **kwargs):
            for node in self.document.findall(nodes.container):
                if "table-wrapper" in node["classes"]:
                    node["ids"] = []
            seen = {}
            for node in self.document.findall(nodes.Element):
                ids = node.get("ids")
                if not ids:
                    continue
                renamed = []
                for id_ in ids:
                    seen[id_] = seen.get(id_, 0) + 1
                    renamed.append(id_ if seen[id_] == 1 else f"{id_}-{seen[id_]}")
                node["ids"] = renamed

    return UniqueIds


# The language switch (docs/_templates/page.html): for each edition, the
# relative link from this page to the same page in it. A page's depth in
# its own edition plus the edition's folder gives the way up to the site's
# root (build/site), then down into the other edition.
API_PAGES_NOTE = {
    "zh_CN": "API 参考页面（docs/api，由 Breathe 从头文件的注释生成）只有英文版；其余页面都已译成中文。",
}


def _language_switch(app, pagename, templatename, context, doctree):
    from sphinx.builders.html import convert_locale_to_language_tag

    current = app.config.language or "en"
    up = "../" * pagename.count("/") + "../" * SITE_LANGUAGES.get(current, ("", ""))[0].count("/")
    context["language_switch"] = [
        {"tag": convert_locale_to_language_tag(code), "label": label, "current": code == current,
         "href": f"{up}{folder}{pagename}.html"}
        for code, (folder, label) in SITE_LANGUAGES.items()
    ]
    note = API_PAGES_NOTE.get(current)
    context["language_note"] = note if note and (pagename == "index" or pagename.startswith("docs/api/")) else ""


def setup(app):
    app.connect("builder-inited", _require_jieba)
    app.connect("html-page-context", _language_switch)
    app.add_post_transform(_unique_ids())
    app.connect("doctree-read", _strip_doxygen_markup)
    app.connect("doctree-read", _breakable_path_captions)
    app.connect("build-finished", _repair_debian_furo)

# What a new reader waits for, measured by tests/tools/first-build.sh on a
# fresh clone (docs/first-build.txt): |first-run-06|, |noop-run| and |first-serve| in the
# chapters and on the testing page, |first-build-when| says where and when.
def _first_build():
    figures = {}
    with open(os.path.join(root, "docs", "first-build.txt")) as f:
        for line in f:
            if ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                figures[key.strip()] = value.strip()

    def duration(seconds):
        seconds = int(seconds)
        return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"

    return "\n".join([
        f".. |first-run-06| replace:: {duration(figures['run06'])}",
        f".. |first-serve| replace:: {duration(figures['serve'])}",
        f".. |noop-run| replace:: {figures['noop']} s",
        f".. |first-build-when| replace:: {figures['cores']} cores, {figures['date']},"
        f" load average {figures['load'].split()[0]} when it started",
    ])


rst_epilog = globals().get("rst_epilog", "") + "\n" + _first_build() + "\n"
