# Sphinx configuration of the metalio site.
#
# `make docs` runs Doxygen first (docs/Doxyfile -> build/doxygen/xml), then
# sphinx-build -W -n --keep-going, so a stale literalinclude marker or an
# unresolved cross-reference fails the build.
import os
import re

project = "metalio"
author = "the metalio developers"
copyright = "2026, the metalio developers"
release = "0.1.0"

extensions = [
    "breathe",
    "sphinx.ext.graphviz",
    "sphinx.ext.extlinks",
    "sphinx_copybutton",
    "sphinx_inline_tabs",
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
    "README.md", "docs/Doxyfile", "docs/bench-last-run",
]

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
_namespaces = (r"(metalio(::(io|sys|fault|unix|net|epoll|poll|kqueue|selector|rt|posix|udp|uds|pipe|fd_io|windows|iocp|afd))*"
               r"|io|sys|fault|unix|net|epoll|poll|kqueue|selector|rt|posix|udp|uds|pipe|fd_io|windows|iocp|afd)"
               r"(::(windows|afd))*")
nitpick_ignore_regex = [(r"cpp:identifier", _namespaces)]
# The kqueue selector's records are the system's C structs (struct kevent,
# struct timespec), which no page of this site declares.
nitpick_ignore_regex += [(r"cpp:identifier", r"(::)?(kevent|timespec)")]

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


def setup(app):
    app.add_post_transform(_unique_ids())
    app.connect("doctree-read", _strip_doxygen_markup)
    app.connect("build-finished", _repair_debian_furo)
