"""Presentation MathML to LaTeX, for pages whose ``<math>`` carries no TeX annotation or ``alttext``.

Resiliparse (our HTML parser) has no math support, and OpenWebMath's own converter is an XSLT stylesheet
(mmltex) that needs an XSLT engine; the common presentation elements are few, so the conversion is written
here: tokens, fractions, roots, scripts, under/over, fences and tables; other elements are concatenated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def math_latex(root: MathNode) -> str:
    """The LaTeX of a ``<math>`` tree: its TeX annotation, else its ``alttext``, else :func:`mathml_to_latex`."""
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
