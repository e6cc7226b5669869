"""Main text of an HTML page with every formula as LaTeX (the OpenWebMath extraction step).

Formulas are recovered from, in this order of preference:

* MathJax source scripts ``<script type="math/tex">`` (inline → ``$…$``, ``mode=display`` → ``$$…$$``);
* MathML ``<math>`` (KaTeX and MathJax 3 assistive MathML included): the
  ``<annotation encoding="application/x-tex">`` when present, else the ``alttext`` attribute, else a
  readable conversion of the presentation MathML (:func:`mathml_to_latex`); ``display="block"`` → ``$$``;
* images whose ``alt`` holds LaTeX: ``class`` ``math``/``latex``/``tex``/``wp-latex``/Wikipedia's
  ``mwe-math-fallback-image-*``, or a ``src`` on a LaTeX renderer (``latex.php``, codecogs, mathtex,
  Google chart ``cht=tx``); without ``alt`` the LaTeX is taken from the URL query;
* delimiters already in the text: ``\\(…\\)`` → ``$…$`` and ``\\[…\\]`` → ``$$…$$``; ``$…$`` stays.

Boilerplate removal is structural: ``script``/``style``/``nav``/``header``/``footer``/``aside``/``form``
and similar elements are dropped, and so are elements whose ``class``/``id``/``role`` names navigation, a
menu, a sidebar, breadcrumbs, a footer, or cookie/share widgets. Rendered-math duplicates (MathJax 2
output spans, KaTeX's ``katex-html``) are dropped since their source is kept. This is simpler than
OpenWebMath's resiliparse-based main-content extraction: there is no link-density or text-block scoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlparse

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select",
     "iframe", "svg", "canvas", "template", "head", "object", "embed", "audio", "video", "textarea"}
)  # fmt: skip
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
     "track", "wbr", "keygen"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
     "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "figure", "figcaption", "br", "hr",
     "center", "address", "details", "summary", "tbody", "thead"}
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
_RENDERED_MATH_CLASSES = frozenset(
    {"MathJax", "MathJax_Preview", "MathJax_Display", "MathJax_SVG", "MathJax_SVG_Display",
     "MathJax_CHTML", "MathJax_MathML", "katex-html", "MJX_Assistive_MathML"}
)  # fmt: skip
_BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|breadcrumbs?|footer|cookie|share|social)(?:$|[\s_-])",
    re.IGNORECASE,
)
_MATH_IMAGE_CLASSES = frozenset(
    {"math", "latex", "tex", "wp-latex", "mwe-math-fallback-image-inline", "mwe-math-fallback-image-display",
     "mathtex", "tex-image", "latex-image", "ql-img-inline-formula", "ql-img-displayed-equation"}
)  # fmt: skip
_MATH_IMAGE_SRC_RE = re.compile(r"latex\.php|codecogs\.com|mathtex|cht=tx|/latex\?|tex2img|\.tex\.png", re.IGNORECASE)
_INLINE_PAREN_RE = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_DISPLAY_BRACKET_RE = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n\s*(?:\n\s*)+")

# Unicode symbols that MathML writes as characters, with their LaTeX commands.
_SYMBOLS = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda",
    "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau",
    "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∮": r"\oint", "∞": r"\infty", "∂": r"\partial",
    "∇": r"\nabla", "±": r"\pm", "∓": r"\mp", "×": r"\times", "÷": r"\div", "·": r"\cdot",
    "⋅": r"\cdot", "−": "-", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx",
    "≡": r"\equiv", "∼": r"\sim", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq",
    "⊃": r"\supset", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap", "∅": r"\emptyset",
    "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto",
    "∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "⊗": r"\otimes",
    "⊕": r"\oplus", "∘": r"\circ", "√": r"\sqrt", "…": r"\ldots", "⋯": r"\cdots", "ℝ": r"\mathbb{R}",
    "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "′": "'",
    "\u2061": "", "\u2062": "", "\u2063": "",
}  # fmt: skip
_FUNCTION_NAMES = frozenset({"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "lim", "max", "min",
                             "sup", "inf", "det", "gcd", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"})


@dataclass
class MathNode:
    """An element of a captured MathML tree: tag (namespace prefix removed), attributes, children."""

    tag: str
    attrs: dict[str, str]
    children: list["MathNode | str"] = field(default_factory=list)

    def text(self) -> str:
        """All character data below this node, concatenated."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self) -> list["MathNode"]:
        """Child elements (no character data)."""
        return [c for c in self.children if isinstance(c, MathNode)]

    def find(self, tag: str) -> "MathNode | None":
        """The first descendant with ``tag`` (depth first)."""
        for child in self.elements():
            if child.tag == tag:
                return child
            found = child.find(tag)
            if found is not None:
                return found
        return None


def _symbol_text(text: str) -> str:
    text = text.strip()
    return "".join(_SYMBOLS.get(char, char) + (" " if char in _SYMBOLS and _SYMBOLS[char].startswith("\\") else "") for char in text).strip()


def mathml_to_latex(node: MathNode) -> str:
    """A readable LaTeX rendering of presentation MathML (the common elements; others are concatenated)."""
    tag = node.tag
    kids = node.elements()
    convert = mathml_to_latex

    def arg(index: int) -> str:
        return convert(kids[index]) if index < len(kids) else ""

    if tag in ("mi", "mn", "mo"):
        text = node.text().strip()
        if tag == "mi" and text in _FUNCTION_NAMES:
            return f"\\{text} "
        if tag == "mi" and len(text) > 1 and text.isalpha() and text.isascii():
            return f"\\mathrm{{{text}}}"
        return _symbol_text(text)
    if tag == "mtext":
        text = node.text().strip()
        return f"\\text{{{text}}}" if text else ""
    if tag == "mspace":
        return " "
    if tag in ("annotation", "annotation-xml", "none", "mprescripts"):
        return ""
    if tag == "semantics":
        return arg(0)
    if tag == "mfrac":
        return f"\\frac{{{arg(0)}}}{{{arg(1)}}}"
    if tag == "msqrt":
        return "\\sqrt{" + "".join(convert(k) for k in kids) + "}"
    if tag == "mroot":
        return f"\\sqrt[{arg(1)}]{{{arg(0)}}}"
    if tag == "msup":
        return f"{{{arg(0)}}}^{{{arg(1)}}}"
    if tag == "msub":
        return f"{{{arg(0)}}}_{{{arg(1)}}}"
    if tag == "msubsup":
        return f"{{{arg(0)}}}_{{{arg(1)}}}^{{{arg(2)}}}"
    if tag == "munder":
        return f"{arg(0)}_{{{arg(1)}}}"
    if tag == "mover":
        return f"\\overset{{{arg(1)}}}{{{arg(0)}}}"
    if tag == "munderover":
        return f"{arg(0)}_{{{arg(1)}}}^{{{arg(2)}}}"
    if tag == "mfenced":
        opening = node.attrs.get("open", "(")
        closing = node.attrs.get("close", ")")
        separator = node.attrs.get("separators", ",")[:1] or ","
        return f"\\left{opening}" + separator.join(convert(k) for k in kids) + f"\\right{closing}"
    if tag == "mtable":
        rows = []
        for row in kids:
            cells = [convert(cell) for cell in row.elements()] if row.tag in ("mtr", "mlabeledtr") else [convert(row)]
            rows.append(" & ".join(cells))
        return "\\begin{matrix}" + " \\\\ ".join(rows) + "\\end{matrix}"
    # math, mrow, mstyle, mpadded, mphantom, merror, menclose, mtd and unknown elements: concatenate
    return "".join(convert(k) for k in kids) if kids else _symbol_text(node.text())


def _math_latex(root: MathNode) -> str:
    annotation = None
    for candidate in _iter_tag(root, "annotation"):
        if candidate.attrs.get("encoding", "").lower() in ("application/x-tex", "tex", "latex", "text/x-latex"):
            annotation = candidate.text().strip()
            break
    if annotation:
        return annotation
    alttext = root.attrs.get("alttext", "").strip()
    if alttext:
        return alttext
    return mathml_to_latex(root).strip()


def _iter_tag(node: MathNode, tag: str):
    for child in node.elements():
        if child.tag == tag:
            yield child
        yield from _iter_tag(child, tag)


def _strip_dollars(latex: str) -> str:
    latex = latex.strip()
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if latex.startswith(opening) and latex.endswith(closing) and len(latex) > len(opening) + len(closing):
            return latex[len(opening) : -len(closing)].strip()
    return latex


def _image_latex(attrs: dict[str, str]) -> tuple[str, bool] | None:
    classes = set(attrs.get("class", "").split())
    src = attrs.get("src", "")
    if not (classes & _MATH_IMAGE_CLASSES or _MATH_IMAGE_SRC_RE.search(src)):
        return None
    display = any("display" in c for c in classes)
    alt = attrs.get("alt", "").strip()
    if alt:
        return _strip_dollars(alt), display
    query = urlparse(src).query
    params = parse_qs(query)
    for key in ("latex", "chl", "tex"):
        if key in params:
            return params[key][0].strip(), display
    if query and "codecogs" in src.lower():
        return unquote(query).strip(), display
    return None


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, started a skipped subtree)
        self.skip_depth = 0
        self.pre_depth = 0
        self.script_mode: str | None = None  # None, "skip", "inline", "display"
        self.script_text: list[str] = []
        self.math_stack: list[MathNode] = []
        self.last_formula: str | None = None
        self.last_formula_end = -1
        self.canonical_url: str | None = None
        self.formula_count = 0

    # output helpers
    def _emit(self, text: str) -> None:
        self.pieces.append(text)

    def _emit_formula(self, latex: str, display: bool) -> None:
        latex = latex.strip()
        if not latex:
            return
        between = "".join(self.pieces[self.last_formula_end :]) if self.last_formula_end >= 0 else "x"
        if latex == self.last_formula and not between.strip():
            return  # the same formula given twice in a row (e.g. MathML plus its fallback image)
        self._emit(f"$${latex}$$" if display else f"${latex}$")
        self.formula_count += 1
        self.last_formula = latex
        self.last_formula_end = len(self.pieces)

    def _should_skip(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag in _SKIP_TAGS:
            return True
        classes = set(attrs.get("class", "").split())
        if classes & _RENDERED_MATH_CLASSES:
            return True
        if attrs.get("role", "").lower() in ("navigation", "banner", "contentinfo", "menu"):
            return True
        if attrs.get("aria-hidden", "").lower() == "true" and tag != "math":
            return True
        return any(_BOILERPLATE_RE.search(attrs.get(name, "")) for name in ("class", "id"))

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name.lower(): (value or "") for name, value in attr_list}
        tag = tag.lower()
        if self.math_stack:
            node = MathNode(tag.split(":")[-1], attrs)
            self.math_stack[-1].children.append(node)
            if tag not in _VOID_TAGS:
                self.math_stack.append(node)
            return
        if tag == "link" and attrs.get("rel", "").lower() == "canonical" and attrs.get("href"):
            self.canonical_url = self.canonical_url or attrs["href"]
        if tag == "meta" and attrs.get("property", "").lower() == "og:url" and attrs.get("content"):
            self.canonical_url = self.canonical_url or attrs["content"]
        if tag == "script":
            kind = attrs.get("type", "").lower()
            if self.skip_depth == 0 and kind.startswith("math/tex"):
                self.script_mode = "display" if "mode=display" in kind.replace(" ", "") else "inline"
            else:
                self.script_mode = "skip"
            self.script_text = []
            return
        if tag in _VOID_TAGS:
            if self.skip_depth:
                return
            if tag == "img":
                found = _image_latex(attrs)
                if found is not None:
                    self._emit_formula(*found)
            elif tag in ("br", "hr"):
                self._emit("\n")
            return
        if tag.split(":")[-1] == "math" and self.skip_depth == 0:
            self.math_stack.append(MathNode("math", attrs))
            return
        starts_skip = self.skip_depth == 0 and self._should_skip(tag, attrs)
        self.stack.append((tag, starts_skip))
        if starts_skip:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "pre":
            self.pre_depth += 1
        if tag in _BLOCK_TAGS:
            self._emit("\n")
        elif tag in _CELL_TAGS:
            self._emit(" ")

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        if self.math_stack:
            attrs = {name.lower(): (value or "") for name, value in attr_list}
            self.math_stack[-1].children.append(MathNode(tag.lower().split(":")[-1], attrs))
            return
        if tag.lower() in _VOID_TAGS or tag.lower() == "script":
            self.handle_starttag(tag, attr_list)
            if tag.lower() == "script":
                self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if self.math_stack:
            local = tag.split(":")[-1]
            for depth in range(len(self.math_stack) - 1, -1, -1):
                if self.math_stack[depth].tag == local:
                    finished = self.math_stack[depth]
                    del self.math_stack[depth:]
                    if not self.math_stack:
                        display = finished.attrs.get("display", "").lower() == "block" or finished.attrs.get(
                            "mode", ""
                        ).lower() == "display"
                        self._emit_formula(_math_latex(finished), display)
                    return
            return
        if tag == "script":
            if self.script_mode in ("inline", "display"):
                self._emit_formula("".join(self.script_text), self.script_mode == "display")
            self.script_mode = None
            return
        if tag in _VOID_TAGS:
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                closed = self.stack[depth:]
                del self.stack[depth:]
                for closed_tag, started_skip in reversed(closed):
                    if started_skip:
                        self.skip_depth -= 1
                    elif self.skip_depth == 0:
                        if closed_tag == "pre":
                            self.pre_depth = max(0, self.pre_depth - 1)
                        if closed_tag in _BLOCK_TAGS:
                            self._emit("\n")
                return

    def handle_data(self, data: str) -> None:
        if self.script_mode is not None:
            if self.script_mode != "skip":
                self.script_text.append(data)
            return
        if self.math_stack:
            self.math_stack[-1].children.append(data)
            return
        if self.skip_depth:
            return
        if self.pre_depth:
            self._emit(data)
        else:
            self._emit(_SPACES_RE.sub(" ", data.replace("\n", " ")))


@dataclass
class ExtractedPage:
    """Text extracted from one page, the number of formulas recovered from markup, and its canonical URL."""

    text: str
    markup_formulas: int
    canonical_url: str | None


def _tidy(text: str) -> str:
    text = _INLINE_PAREN_RE.sub(lambda m: f"${m.group(1).strip()}$", text)
    text = _DISPLAY_BRACKET_RE.sub(lambda m: f"$${m.group(1).strip()}$$", text)
    lines = [line.strip() if not line.startswith("    ") else line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def extract_page(html: str) -> ExtractedPage:
    """Extract the main text of an HTML page with formulas as LaTeX (see the module docstring)."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    if parser.math_stack:  # an unclosed <math> at the end of the page
        root = parser.math_stack[0]
        parser.math_stack = []
        parser._emit_formula(_math_latex(root), False)
    text = _tidy("".join(parser.pieces))
    return ExtractedPage(text=text, markup_formulas=parser.formula_count, canonical_url=parser.canonical_url)
