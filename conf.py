# Sphinx configuration of the metalio site.
#
# `make docs` runs Doxygen first (docs/Doxyfile -> build/doxygen/xml), then
# sphinx-build -W -n --keep-going, so a stale literalinclude marker or an
# unresolved cross-reference fails the build.
import os

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
    "README.md", "docs/Doxyfile",
]

# mio at the commit the source article reads, and at the 1.x release we compare with.
MIO_ARTICLE = "14f37f283576040c8763f45de6c2b2bbcb82436d"
MIO_1X = "v1.0.4"
extlinks = {
    "mio-article": (f"https://github.com/tokio-rs/mio/blob/{MIO_ARTICLE}/%s", "%s"),
    "mio": (f"https://github.com/tokio-rs/mio/blob/{MIO_1X}/%s", "%s"),
    "man": ("https://man7.org/linux/man-pages/%s.html", "%s"),
}

html_theme = "furo"
html_title = "metalio — mio, rebuilt in C++23"
html_static_path = ["docs/_static"]
html_css_files = ["metalio.css"]
graphviz_output_format = "svg"
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True

# Namespaces are not objects in Sphinx's C++ domain, so with -n every
# "metalio::sys::" prefix in a signature would be an "unresolved reference".
# Ignore exactly the namespace names; every class, function and type of
# metalio must still resolve.
_namespaces = (r"(metalio(::(io|sys|fault|unix|net|epoll|poll|selector|windows|iocp|afd))*"
               r"|io|sys|fault|unix|net|epoll|poll|selector|windows|iocp|afd)(::(windows|afd))*")
nitpick_ignore_regex = [(r"cpp:identifier", _namespaces)]

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
]

# Each api page names its headers in its first lines. Breathe would also
# render an "#include" line under a concept, linking to a per-file page that
# the site does not have (an unresolved label under -n).
breathe_show_include = False
