"""The `syscall-transcript` directive: what the kernel sees, on a chapter page.

    .. syscall-transcript:: 02

renders build/transcripts/02.json, which tests/tools/transcripts.py writes
after it has run the chapter's example under strace and checked every call
against docs/transcripts/02.txt (or, when the examples were not run, or
this one could not run here, from that file alone, and the page says so). The block is collapsed (an HTML
<details>): a numbered list of the calls, each with the line of code that
made it and one sentence.

Each call's sentence is a translatable paragraph (it carries the
directive's source and line, and its reStructuredText as rawsource), so
Sphinx's gettext builder puts it in the chapter's catalog and the Chinese
edition shows its translation. The few words around the list are the
directive's own, in FRAME below, one set per edition.
"""
import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class details(nodes.General, nodes.Element):
    pass


class summary(nodes.TextElement):
    pass


def _visit_details(self, node):
    self.body.append(self.starttag(node, "details", CLASS="syscall-transcript"))


def _depart_details(self, node):
    self.body.append("</details>\n")


def _visit_summary(self, node):
    self.body.append(self.starttag(node, "summary"))


def _depart_summary(self, node):
    self.body.append("</summary>\n")


# The block's own words (the calls' sentences come from the catalogs).
FRAME = {
    "en": {
        "summary": "What the kernel sees: {count} system calls of {example}",
        "checked": ["Recorded while this site was built, in the epoll build: "],
        "listed": ["As ", " records them in the epoll build (this copy of the site was rendered "
                   "without running the examples): "],
        "refused": ["As ", " records them in the epoll build where the example can run (the machine that "
                    "built this copy of the site could not run it: ", "): "],
        "tail": (". The descriptor numbers are the kernel's; addresses, ports and thread ids are made stable; "
                 "the dynamic loader's calls and the program's printing are left out. The site does not build "
                 "when the code stops making these calls in this order."),
        "made_by": "made by ",
    },
    "zh_CN": {
        "summary": "内核看到了什么：{example} 的 {count} 个系统调用",
        "checked": ["本站构建时在 epoll 构建中录下："],
        "listed": ["按 ", " 在 epoll 构建中录下的样子（本站这份副本渲染时没有运行示例）："],
        "refused": ["按 ", " 在能运行该示例的 epoll 构建中录下的样子（构建本站这份副本的机器无法运行它：", "）："],
        "tail": ("。描述符编号是内核给出的；地址、端口和线程 id 已换成固定的名字；动态加载器的调用和程序自己的输出"
                 "没有列出。代码一旦不再按这个顺序发出这些调用，本站就无法构建。"),
        "made_by": "发出位置：",
    },
}


class SyscallTranscript(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        chapter = self.arguments[0]
        path = Path(self.env.srcdir) / "build" / "transcripts" / f"{chapter}.json"
        if not path.is_file():
            raise self.error(f"{path} is missing: build the site with tests/tools/docs.sh, which runs "
                             f"tests/tools/transcripts.py first (it traces chapter {chapter}'s example)")
        self.env.note_dependency(str(path))
        self.env.note_dependency(str(Path(self.env.srcdir) / "docs" / "transcripts" / f"{chapter}.txt"))
        data = json.loads(path.read_text())

        words = FRAME.get(self.env.config.language or "en", FRAME["en"])
        box = details()
        head = summary()
        head += nodes.Text(words["summary"].format(count=len(data["calls"]), example=data["example"]))
        box += head

        command = f"strace -f -e trace={data['trace']} {data['example']}"
        if data["args"]:
            command += " " + data["args"]
        intro = nodes.paragraph()
        if data["checked"]:
            intro += nodes.Text(words["checked"][0])
        elif data.get("refused"):
            # The example could not run here (io_uring refused): its own
            # message says why, quoted as it printed it.
            intro += nodes.Text(words["refused"][0])
            intro += nodes.literal(text="make test")
            intro += nodes.Text(words["refused"][1])
            intro += nodes.literal(text=data["refused"])
            intro += nodes.Text(words["refused"][2])
        else:
            intro += nodes.Text(words["listed"][0])
            intro += nodes.literal(text="make test")
            intro += nodes.Text(words["listed"][1])
        intro += nodes.literal(text=command)
        intro += nodes.Text(words["tail"])
        box += intro
        source, line = self.get_source_info()

        calls = nodes.enumerated_list(classes=["syscall-transcript-calls"])
        for call in data["calls"]:
            item = nodes.list_item()
            syscall = nodes.paragraph(classes=["syscall-transcript-call"])
            if call["thread"]:
                syscall += nodes.inline(text=call["thread"], classes=["syscall-transcript-thread"])
                syscall += nodes.Text(" ")
            syscall += nodes.literal(text=call["call"])
            item += syscall
            code = nodes.paragraph(classes=["syscall-transcript-code"])
            code += nodes.Text(words["made_by"])
            code += nodes.inline(text=f"{call['file']}:{call['line']}", classes=["syscall-transcript-where"])
            code += nodes.Text(" ")
            code += nodes.literal(text=call["code"])
            item += code
            sentence, messages = self.state.inline_text(call["sentence"], self.lineno)
            # source, line and rawsource make the sentence a message of the
            # chapter's catalog (sphinx.util.nodes.is_translatable).
            paragraph = nodes.paragraph(call["sentence"], "", *sentence)
            paragraph.source, paragraph.line = source, line
            item += paragraph
            item += messages
            calls += item
        box += calls
        return [box]


def setup(app):
    app.add_node(details, html=(_visit_details, _depart_details))
    app.add_node(summary, html=(_visit_summary, _depart_summary))
    app.add_directive("syscall-transcript", SyscallTranscript)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
