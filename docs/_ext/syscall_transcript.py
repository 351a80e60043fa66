"""The `syscall-transcript` directive: what the kernel sees, on a chapter page.

    .. syscall-transcript:: 02

renders build/transcripts/02.json, which tests/tools/transcripts.py writes
after it has run the chapter's example under strace and checked every call
against docs/transcripts/02.txt. The block is collapsed (an HTML
<details>): a numbered list of the calls, each with the line of code that
made it and one sentence.
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

        box = details()
        head = summary()
        head += nodes.Text(f"What the kernel sees: {len(data['calls'])} system calls of {data['example']}")
        box += head

        command = f"strace -f -e trace={data['trace']} {data['example']}"
        if data["args"]:
            command += " " + data["args"]
        intro = nodes.paragraph()
        if data["checked"]:
            intro += nodes.Text("Recorded while this site was built, in the epoll build: ")
        else:
            intro += nodes.Text("As ")
            intro += nodes.literal(text="make test")
            intro += nodes.Text(" records them in the epoll build (this copy of the site was rendered "
                                "without running the examples): ")
        intro += nodes.literal(text=command)
        intro += nodes.Text(
            ". The descriptor numbers are the kernel's; addresses, ports and thread ids are made stable; "
            "the dynamic loader's calls and the program's printing are left out. The site does not build "
            "when the code stops making these calls in this order.")
        box += intro

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
            code += nodes.Text("made by ")
            code += nodes.inline(text=f"{call['file']}:{call['line']}", classes=["syscall-transcript-where"])
            code += nodes.Text(" ")
            code += nodes.literal(text=call["code"])
            item += code
            sentence, messages = self.state.inline_text(call["sentence"], self.lineno)
            item += nodes.paragraph("", "", *sentence)
            item += messages
            calls += item
        box += calls
        return [box]


def setup(app):
    app.add_node(details, html=(_visit_details, _depart_details))
    app.add_node(summary, html=(_visit_summary, _depart_summary))
    app.add_directive("syscall-transcript", SyscallTranscript)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
