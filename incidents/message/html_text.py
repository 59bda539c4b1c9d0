"""An HTML body as the text a reader sees: blocks on their own lines, no markup, no scripts."""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment

HIDDEN = ("script", "style", "head", "title", "template", "noscript", "object", "iframe")
BLOCKS = (
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "address",
    "center",
    "form",
)
LINES = ("tr", "li", "dt", "dd")  # one line each, no empty line between them
CELLS = ("td", "th")


def html_to_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(HIDDEN):
        node.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(CELLS):
        cell.append("\t")
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    for line in soup.find_all(LINES):
        line.append("\n")
    for block in soup.find_all(BLOCKS):
        block.insert_before("\n")
        block.append("\n")
    return tidy_lines(soup.get_text())


def tidy_lines(text: str) -> str:
    """Spaces collapsed within lines, at most one empty line in a row, no blank start or end."""
    lines: list[str] = []
    for line in text.replace("\xa0", " ").splitlines():
        cells = [" ".join(cell.split()) for cell in line.split("\t")]
        line = "\t".join(cell for cell in cells if cell)
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()
