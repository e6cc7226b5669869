"""Main text of an HTML page with every formula as LaTeX (the OpenWebMath extraction step).

The page is parsed by Resiliparse (``HTMLTree``) and its text taken by Resiliparse's main-content
extraction (``extract_plain_text(main_content=True)``), as OpenWebMath did: navigation, headers, footers
and sidebars go. Resiliparse alone loses math (MathJax ``<script>`` sources are skipped like any script,
MathML comes out as a jumble of its token texts), so before extraction every formula in the tree is
replaced by a placeholder text node, and after extraction each placeholder becomes ``$…$`` (inline) or
``$$…$$`` (display). Formulas are recovered from:

* MathJax source scripts ``<script type="math/tex">`` (``mode=display`` → display);
* MathML ``<math>`` (KaTeX, MathJax 3 ``mjx-container`` and Wikipedia's MathML included): the
  ``<annotation encoding="application/x-tex">`` when present, else the ``alttext`` attribute, else a
  conversion of the presentation MathML (:mod:`math_lm.data.mathml`); ``display="block"``, KaTeX's
  ``katex-display`` and MathJax 3's ``display="true"`` → display;
* images whose ``alt`` holds LaTeX: ``class`` ``math``/``latex``/``tex``/``wp-latex``/Wikipedia's
  ``mwe-math-fallback-image-*``, or a ``src`` on a LaTeX renderer (``latex.php``, codecogs, mathtex,
  Google chart ``cht=tx``); without ``alt`` the LaTeX is taken from the URL query;
* math that MathJax typesets from the text: ``\\(…\\)`` → ``$…$``, ``\\[…\\]`` → ``$$…$$``, and bare display
  environments (``\\begin{align}…\\end{align}``, as Sphinx writes them) → ``$$…$$``; ``$…$`` stays. As in
  MathJax, text inside ``pre``, ``code`` and ``tt`` is never math: it is set aside before and put back
  after, so that a ``\\[`` in inline code never pairs with a ``\\]`` in the prose after it (only text holding
  a backslash or a dollar is set aside, so inline code is visited only on pages whose source holds such
  delimiters and shows a backslash or dollar inside a ``code``/``tt`` element, and ``pre`` only where one
  shows one: docs pages hold hundreds of code elements). Delimiters are paired by :class:`TextMathScanner`,
  one left-to-right scan, linear even on a page of unclosed openers.

Rendered copies of formulas (MathJax 2 output and preview spans, KaTeX's ``katex-html``) are removed, and
a formula given twice in a row (MathML plus its fallback image) is kept once. Documentation-site
boilerplate that main-content extraction can keep is removed by :data:`BOILERPLATE_SELECTORS` (Sphinx ``¶``
permalinks, "On this page" tables of contents, previous/next bars, Sphinx sidebars, ``nav`` and ``footer``);
a trailing ``¶`` left on a heading line is cut.

What Resiliparse's main-content step or CSS would get wrong is fixed up in the same walk:

* bullet lists that are not mostly links survive (Resiliparse drops a ``ul`` near ``<body>`` or holding
  a link): each becomes an ``ol`` whose numbers are turned back into ``- `` bullets after extraction;
* an element whose id or class holds "related" (which Resiliparse deletes, even a page's whole top
  section) loses the word unless it is mostly links;
* navigation blocks of any template are removed: the block around a link marked ``rel`` next/prev/up/
  contents/index or with an ``accesskey`` (texinfo, DocBook), and a block whose text is mostly its links
  (GAPDoc's chapter bars); short lines of navigation labels at the top or bottom of the text ("Next: …,
  Previous: …, Up: …", "[Contents][Index]") are dropped;
* numpydoc's ``name : type`` gets the " : " that only its CSS shows (``span.classifier``);
* XHTML's self-closed ``<a id="x"/>``, which HTML parsing stretches over the rest of its section and
  Resiliparse then drops as link text, is closed first;
* a page whose main content comes out (nearly) empty while the page has text (MathJax's sample pages hide
  everything until typeset) is taken whole.

Written here because Resiliparse has no math handling; the placeholders keep LaTeX away from its
whitespace collapsing. What this costs over plain Resiliparse extraction (a second walk: one selector
query, the fix-ups, a few scans of the text) is measured by ``benchmarks/web_extract.py``; parsing and
extracting the fixed-up tree alone cost about what plain Resiliparse does, so the rest is the walk, the
Python work per element it finds and the scans of the page source and of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlparse

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree, NodeType

from math_lm.data.mathml import MathNode, math_latex

# Documentation-site boilerplate that main-content extraction keeps (Sphinx's ¶ permalinks, "On this page"
# tables of contents, previous/next bars, sidebars), and navigation landmarks, which Resiliparse keeps when
# they are deep in the tree (it drops the navigation and contentinfo roles itself).
BOILERPLATE_CLASSES = frozenset(
    {"headerlink", "toc", "bd-toc", "onthispage", "prev-next-area", "rst-footer-buttons", "sphinxsidebar"}
)
BOILERPLATE_IDS, BOILERPLATE_ID_PREFIXES = frozenset({"toc"}), ("sidebar",)
NAVIGATION_TAGS = frozenset({"nav", "footer"})
BOILERPLATE_SELECTORS: tuple[str, ...] = (
    *(f".{name}" for name in sorted(BOILERPLATE_CLASSES)), *(f"#{name}" for name in sorted(BOILERPLATE_IDS)),
    *(f'[id^="{prefix}"]' for prefix in BOILERPLATE_ID_PREFIXES), *sorted(NAVIGATION_TAGS),
)  # fmt: skip
# Elements that are not formulas but are fixed up in the same walk: lists (kept, see _keep_list), numpydoc
# classifiers (" : " that only CSS shows), ids/classes naming "related", and the links that may mark a
# navigation block (see _remove_navigation_blocks).
_FIXUP_SELECTORS: tuple[str, ...] = (
    "ul", ".classifier", '[id*="related" i]', '[class*="related" i]', "a[accesskey]",
    ":is(div, nav, td, center, header, footer) > a[href]:nth-of-type(3)", "a[rel]",
)  # fmt: skip
# One walk finds them all, with the formulas and their rendered copies (MathJax 2's output and preview spans:
# MathJax, MathJax_SVG, MathJax_CHTML, MathJax_Preview, ...; KaTeX's rendering is inside the .katex span that
# is replaced whole). Every selector adds to the cost of the walk, so the list is kept short.
_LIFT_SELECTOR = ", ".join(
    ("mjx-container", 'script[type^="math/tex"]', ".katex", "math", "img", '[class*="MathJax"]',
     *BOILERPLATE_SELECTORS, *_FIXUP_SELECTORS)
)
# Inline code is visited only on pages whose source holds text math delimiters: docs pages hold hundreds of
# code elements, and visiting each costs more than the rest of the walk.
_CODE_SELECTOR, _PRE_SELECTOR = "code, tt", "pre"
_TEXT_MATH_MARKERS = ("\\(", "\\[", "$$", "\\begin{")
# Code is set aside only when its text holds a backslash or a dollar; in the source, such an element holds one
# of these between its start tag and its end tag (numeric references read by _numeric_reference_is). Pages
# whose code cannot hold one are not walked for it.
_CODE_TAGS = (("<code", "</code"), ("<tt", "</tt"))
_PRE_TAGS = (("<pre", "</pre"),)
_CODE_MARKS = ("\\", "$", "&bsol", "&dollar")
_CODE_MARK_RE = re.compile("|".join(map(re.escape, _CODE_MARKS)))
_CODE_MARK_CODEPOINTS = frozenset({ord("\\"), ord("$")})
# XHTML's self-closed link target <a id="x"/> read as HTML opens an ``a`` that the parser carries into every
# block of the rest of the section (DocBook writes one per heading); Resiliparse's main-content step then
# drops all that text as link text. On XHTML pages such anchors are closed before parsing.
_XHTML_NAMESPACE = 'xmlns="http://www.w3.org/1999/xhtml"'
# Navigation blocks (see _remove_navigation_blocks) and lists kept through main-content extraction (_keep_list).
_BLOCK_TAGS = frozenset(
    {"p", "div", "table", "ul", "ol", "dl", "nav", "header", "footer", "section", "article", "aside", "main",
     "center", "blockquote", "form", "body", "html"}
)  # fmt: skip
_NEVER_REMOVED_TAGS = frozenset({"body", "html", "main", "article"})
_LINK_SHARE_OF_NAVIGATION = 0.6
_MAX_NAVIGATION_CHARS = 600  # of text, whitespace included
_MAX_LINK_BLOCK_CHARS = 6000
_RELATED_RE = re.compile("related", re.IGNORECASE)
_NAVIGATION_REL_RE = re.compile(r"(?i)\b(?:next|prev|previous|up|contents|index)\b")
_BULLET_MARK = "\ue004\ue005"
_MATH_IMAGE_CLASSES = frozenset(
    {"math", "latex", "tex", "wp-latex", "mwe-math-fallback-image-inline", "mwe-math-fallback-image-display",
     "mathtex", "tex-image", "latex-image", "ql-img-inline-formula", "ql-img-displayed-equation"}
)  # fmt: skip
_MATH_IMAGE_SRC_RE = re.compile(r"latex\.php|codecogs\.com|mathtex|cht=tx|/latex\?|tex2img|\.tex\.png", re.IGNORECASE)
# Placeholders use Unicode private-use characters, which Resiliparse passes through untouched.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_STRAY_MARKS_RE = re.compile(f"[{_OPEN}{_CLOSE}]")
_VERBATIM_OPEN, _VERBATIM_CLOSE = "\ue002", "\ue003"
_VERBATIM_RE = re.compile(f"{_VERBATIM_OPEN}(\\d+){_VERBATIM_CLOSE}")
# Math that MathJax typesets from the text itself: \(…\), \[…\] and bare display environments (Sphinx
# writes those without delimiters); $$…$$ is passed over only so that an environment inside it stays as it is.
# Paired by TextMathScanner, left to right, each opener with the first closer after it.
_TEXT_MATH_CLOSERS = {"(": "\\)", "[": "\\]"}
_TEXT_MATH_ENVIRONMENTS = frozenset(
    name + star
    for name in ("equation", "align", "alignat", "eqnarray", "gather", "multline", "flalign")
    for star in ("", "*")
)
_MAX_ENVIRONMENT_NAME = max(map(len, _TEXT_MATH_ENVIRONMENTS))
_TRAILING_PILCROW_RE = re.compile(r"[ \t]*¶[ \t]*$", re.MULTILINE)
# Navigation lines that survive as text: only bracketed labels ("[Contents][Index]", "[MathJax off]"), or two
# or more navigation labels ("Next: …, Previous: …, Up: …", "« Previous | Next »") in a short line.
_BRACKETED_LINE_RE = re.compile(r"[ \t]*(?:\[[^\[\]\n]{1,40}\][ \t]*)+$")
_NAVIGATION_LABEL_RE = re.compile(
    r"(?i)(?:^|[ \t\[|])(?:next|prev(?:ious)?|up|top|home|contents|index)(?:[ \t]+(?:chapter|page|section|topic))?"
    r"[ \t]*(?::|\]|»|\||$)|[«»]"
)
_LABEL_PUNCTUATION_RE = re.compile(r"[\]:»|«]")
_MAX_NAVIGATION_LINE = 200
_NAVIGATION_LINES_CHECKED = 15
# A page whose main content comes out under the first length while the whole page has over the second
# (MathJax's sample pages, for one: h1 and blockquote right under <body>) is taken whole.
_MIN_MAIN_CONTENT_CHARS, _MIN_WHOLE_PAGE_CHARS = 200, 1000
_BLANK_LINES_RE = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


@dataclass
class ExtractedPage:
    """Text extracted from one page, the number of formulas recovered from markup (not from text
    delimiters), and its canonical URL."""

    text: str
    markup_formulas: int
    canonical_url: str | None


@dataclass
class _Formulas:
    """Formulas lifted out of the tree, in the order their placeholders were made."""

    tree: HTMLTree
    latex: list[tuple[str, bool]] = field(default_factory=list)
    verbatim: list[str] = field(default_factory=list)

    def replace(self, element, latex: str, display: bool) -> None:
        """Put a placeholder for ``latex`` where ``element`` is (or just remove it when there is no LaTeX)."""
        parent = element.parent
        if parent is None:  # already taken out of the tree
            return
        latex = latex.strip()
        if not latex:
            parent.remove_child(element)
            return
        self.latex.append((latex, display))
        parent.replace_child(self.tree.create_text_node(f"{_OPEN}{len(self.latex) - 1}{_CLOSE}"), element)

    def code_text(self, index: int) -> str:
        """The text set aside under placeholder ``index`` (empty for marks the page itself contained)."""
        return self.verbatim[index] if index < len(self.verbatim) else ""

    def protect(self, element, text: str) -> None:
        """Put a placeholder for preformatted text in place of ``element``'s children, so that the text
        math rules (which MathJax too never applies in ``pre``) leave it as it is."""
        self.verbatim.append(text)
        placeholder = f"{_VERBATIM_OPEN}{len(self.verbatim) - 1}{_VERBATIM_CLOSE}"
        element.replace_children(self.tree.create_text_node(placeholder))


def _math_node(element) -> MathNode:
    attributes = {name.lower(): element.getattr(name) or "" for name in element.attrs}
    node = MathNode(element.tag.split(":")[-1].lower(), attributes)
    for child in element.child_nodes:
        if child.type == NodeType.ELEMENT:
            node.children.append(_math_node(child))
        elif child.type == NodeType.TEXT:
            node.children.append(child.text)
    return node


def _strip_dollars(latex: str) -> str:
    latex = latex.strip()
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if latex.startswith(opening) and latex.endswith(closing) and len(latex) > len(opening) + len(closing):
            return latex[len(opening) : -len(closing)].strip()
    return latex


def image_latex(classes: set[str], src: str, alt: str) -> tuple[str, bool] | None:
    """``(latex, display)`` for an image that shows a formula, else ``None`` (see the module docstring)."""
    if not (classes & _MATH_IMAGE_CLASSES or _MATH_IMAGE_SRC_RE.search(src)):
        return None
    display = any("display" in name for name in classes)
    if alt.strip():
        return _strip_dollars(alt), display
    query = urlparse(src).query
    params = parse_qs(query)
    for key in ("latex", "chl", "tex"):
        if key in params:
            return params[key][0].strip(), display
    if query and "codecogs" in src.lower():
        return unquote(query).strip(), display
    return None


def _mostly_links(element, text: str) -> bool:
    """Whether at least :data:`_LINK_SHARE_OF_NAVIGATION` of the words of ``element`` (whose text is ``text``)
    are link text. Link texts are read only when the counts of links and words leave it open."""
    links = element.query_selector_all("a[href]")
    count = len(links)
    if count == 0:
        return False
    words = len(text.split())
    if words <= 2 * count:
        return True
    if words > 12 * count:
        return False
    linked = sum(len((link.text or "").split()) for link in links.values())
    return linked >= _LINK_SHARE_OF_NAVIGATION * words


def _keep_list(tree: HTMLTree, element) -> None:
    """Make a bullet list that is not mostly links survive main-content extraction.

    Resiliparse drops every ``ul`` within two levels of ``<body>`` and every ``ul`` holding links, so prose
    lists vanish ("followed in sequence by:" and nothing after). The list becomes an ``ol`` (which it keeps),
    each item marked so that its number is turned back into a bullet after extraction. Lists that are mostly
    link text are navigation and are left to Resiliparse.
    """
    text = element.text or ""
    if not text.strip() or _mostly_links(element, text):
        return
    replacement = tree.create_element("ol")
    items = element.child_nodes.values()
    mark = tree.create_text_node(_BULLET_MARK)
    for item in items:
        if item.type == NodeType.ELEMENT and item.tag == "li":
            item.prepend(mark.clone_node())
    replacement.append(*items)
    element.replace_with(replacement)


def _unname_related(element) -> None:
    """Resiliparse deletes any element whose id or class holds the word "related" (a "related posts" box), even
    a page's whole top section; unless the element is mostly links, the word is taken out of both."""
    if _mostly_links(element, element.text or ""):
        return
    for name in ("id", "class"):
        value = element.getattr(name)
        if value and "related" in value.lower():
            element.setattr(name, _RELATED_RE.sub("", value))


def _remove_navigation_blocks(anchors: list) -> None:
    """Remove the blocks that are navigation, whatever the template: a block (the nearest ``p``, ``div``,
    ``table``, list, ...) around a link marked as navigation (``rel`` next/prev/up/contents/index or an
    ``accesskey``) holding under :data:`_MAX_NAVIGATION_CHARS` characters, and a block with at least three
    links as children whose link text is at least :data:`_LINK_SHARE_OF_NAVIGATION` of its text (chapter bars).

    ``anchors`` are the marked links and the third link child of a ``div``, ``td``, ``nav``, ... (prose
    paragraphs with links are left alone): the selector finds the few candidate blocks, so that the links of
    a page are not visited one by one."""
    blocks: dict = {}
    for anchor in anchors:
        marked = anchor.getattr("accesskey") is not None or bool(_NAVIGATION_REL_RE.search(anchor.getattr("rel") or ""))
        block = anchor.parent
        while block is not None and block.tag not in _BLOCK_TAGS:
            block = block.parent
        if block is not None and block.tag not in _NEVER_REMOVED_TAGS:
            blocks[block] = blocks.get(block, False) or marked
    for block, marked in blocks.items():
        parent = block.parent
        if parent is None:  # inside a block already removed
            continue
        text = block.text or ""
        if _OPEN in text:  # holds formulas
            continue
        if marked and len(text) <= _MAX_NAVIGATION_CHARS:
            parent.remove_child(block)
        elif len(text) <= _MAX_LINK_BLOCK_CHARS and _mostly_links(block, text):
            parent.remove_child(block)


def _is_boilerplate(element, tag: str) -> bool:
    """Whether an element found by the walk is rendered math or boilerplate (see BOILERPLATE_CLASSES)."""
    if tag in NAVIGATION_TAGS:
        return True
    if any(name in BOILERPLATE_CLASSES or "MathJax" in name for name in element.class_list.values()):
        return True
    identifier = element.getattr("id")
    return identifier is not None and (identifier in BOILERPLATE_IDS or identifier.startswith(BOILERPLATE_ID_PREFIXES))


def _lift_formulas(tree: HTMLTree, with_code: bool = True, with_pre: bool = True) -> _Formulas:
    """Replace every formula in the tree by a placeholder, remove rendered math and boilerplate, and fix up
    what main-content extraction or CSS would get wrong (lists, "related", inline code, numpydoc classifiers).

    One selector query finds all of them in document order (one walk of the tree); an element inside one
    that was already replaced or removed is skipped, since its ancestor comes first in that order. Lists,
    classifiers and "related" elements do not count as replaced: what is inside them is still visited.
    """
    formulas = _Formulas(tree)
    anchors: list = []
    taken = None
    selector = ", ".join((_LIFT_SELECTOR, *((_PRE_SELECTOR,) if with_pre else ()), *((_CODE_SELECTOR,) if with_code else ())))
    for element in tree.document.query_selector_all(selector).values():  # values(): far faster than iterating
        if taken is not None and taken.contains(element):
            continue
        tag = element.tag
        if tag == "a":
            if _is_boilerplate(element, tag):  # e.g. Sphinx's ¶ permalinks
                element.remove()
            else:
                anchors.append(element)
            continue
        if tag == "img":
            found = image_latex(set(element.class_list), element.getattr("src") or "", element.getattr("alt") or "")
            if found is None:
                continue
            formulas.replace(element, *found)
        elif tag == "script":
            kind = (element.getattr("type") or "").replace(" ", "").lower()
            formulas.replace(element, element.text or "", "mode=display" in kind)
        elif tag == "math":
            display = (element.getattr("display") or "").lower() == "block"
            display = display or (element.getattr("mode") or "").lower() == "display"
            formulas.replace(element, math_latex(_math_node(element)), display)
        elif tag == "mjx-container":  # MathJax 3: its rendering plus assistive MathML, classed "MathJax"
            math = element.query_selector("math")
            latex = math_latex(_math_node(math)) if math is not None else ""
            formulas.replace(element, latex, element.getattr("display") == "true")
        elif tag == "pre" or tag == "code" or tag == "tt":
            # MathJax never reads math in code: delimiters there must not pair with text outside
            text = element.text or ""
            if "\\" not in text and "$" not in text:
                continue
            formulas.protect(element, text)
        elif "katex" in element.class_list:  # the whole .katex span; its MathML carries the annotation
            math = element.query_selector("math")
            latex = math_latex(_math_node(math)) if math is not None else ""
            formulas.replace(element, latex, element.closest(".katex-display") is not None)
        elif element.parent is None:
            continue
        elif _is_boilerplate(element, tag):  # rendered math or boilerplate
            element.parent.remove_child(element)
        elif tag == "ul":
            _keep_list(tree, element)
            continue
        elif "classifier" in element.class_list:  # numpydoc "name : type": the " : " is CSS content
            element.parent.insert_before(tree.create_text_node(" : "), element)
            continue
        else:
            _unname_related(element)
            continue
        taken = element
    _remove_navigation_blocks(anchors)
    return formulas


def _numeric_reference_is(html: str, start: int, end: int, codepoints: frozenset[int]) -> bool:
    """Whether a numeric character reference (``&#92;``, ``&#x24;``) between ``start`` and ``end`` names one of
    ``codepoints``."""
    position = html.find("&#", start, end)
    while position != -1:
        digits = position + 2
        base = 16 if html[digits : digits + 1] in ("x", "X") else 10
        digits += base == 16
        stop = digits
        while stop < end and stop - digits < 8 and html[stop].isalnum():
            stop += 1
        try:
            if int(html[digits:stop], base) in codepoints:
                return True
        except ValueError:
            pass
        position = html.find("&#", stop, end)
    return False


def _code_may_hold_math_marks(html: str, tags: tuple[tuple[str, str], ...]) -> bool:
    """Whether some element of ``tags`` (start and end tag prefixes) can hold a backslash or a dollar: one of
    them, or a character reference for one, between a start tag and its end tag (nesting followed; an element
    never closed runs to the end). Code is visited only on pages where this holds; a page of well-formed markup
    with lowercase tags is never wrongly passed over (an end tag inside a comment or script could end a region
    early; each tag case read costs a scan of the page)."""
    for opener, closer in tags:
        position = html.find(opener)
        while position != -1:
            depth, cursor = 1, position + len(opener)
            while depth:
                close = html.find(closer, cursor)
                if close == -1:
                    cursor = len(html)
                    break
                inner = html.find(opener, cursor, close)
                if inner != -1:
                    depth, cursor = depth + 1, inner + len(opener)
                else:
                    depth, cursor = depth - 1, close + len(closer)
            if _CODE_MARK_RE.search(html, position, cursor) is not None:
                return True
            if _numeric_reference_is(html, position, cursor, _CODE_MARK_CODEPOINTS):
                return True
            position = html.find(opener, cursor)
    return False


def _close_self_closed_anchors(html: str) -> str:
    """``<a id="x"/>`` (``<a``, whitespace, attributes without ``<`` or ``>``, ``/>``) as ``<a id="x"></a>``; found
    from each ``/>`` back to its tag's ``<``, so that the page's many ordinary links are not read."""
    pieces: list[str] = []
    done = 0
    end = html.find("/>")
    while end != -1:
        start = html.rfind("<", done, end)
        if start != -1 and html.startswith("<a", start) and html[start + 2 : start + 3].isspace():
            if html.find(">", start, end) == -1:
                pieces += (html[done:end], "></a>")
                done = end + 2
        end = html.find("/>", end + 2)
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)


def _canonical_url(tree: HTMLTree) -> str | None:
    head = tree.head
    if head is None:
        return None
    link = head.query_selector('link[rel="canonical"]')
    if link is not None and link.getattr("href"):
        return link.getattr("href")
    meta = head.query_selector('meta[property="og:url"]')
    return meta.getattr("content") if meta is not None and meta.getattr("content") else None


def _put_formulas_back(text: str, latex: list[tuple[str, bool]]) -> tuple[str, int]:
    if not latex:  # nothing was lifted, so no placeholder was made
        return text, 0
    pieces: list[str] = []
    previous: str | None = None
    position = count = 0
    for match in _PLACEHOLDER_RE.finditer(text):
        between = text[position : match.start()]
        index = int(match.group(1))
        position = match.end()
        if index >= len(latex):  # a page that happens to contain the marks itself
            pieces.append(between)
            continue
        formula, display = latex[index]
        pieces.append(between)
        if formula == previous and not between.strip():
            continue  # the same formula twice in a row (MathML plus its fallback image)
        pieces.append(f"$${formula}$$" if display else f"${formula}$")
        previous = formula
        count += 1
    pieces.append(text[position:])
    return _STRAY_MARKS_RE.sub("", "".join(pieces)), count


class TextMathScanner:
    """Text delimiters to dollars in one left-to-right scan: ``\\(…\\)`` → ``$…$``, ``\\[…\\]`` → ``$$…$$``, a bare
    ``\\begin{align}…\\end{align}`` (and the other display environments) → ``$$…$$``, ``$$…$$`` kept as it is.

    An opener pairs with the first closer of its kind after it, with at least one character between; an
    opener without one is left as text and the scan goes on just after it. Where the next closer of each
    kind is remembered, so that a page of unclosed openers is not searched to its end once per opener:
    :attr:`searched` (characters passed over by searches) stays within a small multiple of the text's length.
    """

    def __init__(self, text: str):
        self.text = text
        self.searched = 0
        # (needle, as opener) -> (searched from, first occurrence there or -1)
        self._next: dict[tuple[str, bool], tuple[int, int]] = {}

    def _find(self, needle: str, start: int, opener: bool = False) -> int:
        """``text.find(needle, start)``; quick where ``start`` never decreases between calls with one needle and role."""
        known = self._next.get((needle, opener))
        if known is not None and known[0] <= start and (known[1] == -1 or known[1] >= start):
            return known[1]
        found = self.text.find(needle, start)
        self.searched += (found + len(needle) if found != -1 else len(self.text)) - start
        self._next[needle, opener] = (start, found)
        return found

    def _closer(self, opener: int) -> tuple[str, int] | None:
        """The closer for an opener at ``opener`` and where its content starts, or ``None`` when no opener is there."""
        text = self.text
        if text[opener] == "$":
            return "$$", opener + 2
        kind = text[opener + 1 : opener + 2]
        if kind in _TEXT_MATH_CLOSERS:
            return _TEXT_MATH_CLOSERS[kind], opener + 2
        if text.startswith("begin{", opener + 1):
            brace = text.find("}", opener + 7, opener + 8 + _MAX_ENVIRONMENT_NAME)
            if brace != -1 and text[opener + 7 : brace] in _TEXT_MATH_ENVIRONMENTS:
                return f"\\end{{{text[opener + 7 : brace]}}}", brace + 1
        return None

    def convert(self) -> str:
        text = self.text
        if "\\" not in text and "$$" not in text:
            return text
        pieces: list[str] = []
        done = cursor = 0
        while True:
            backslash, dollars = self._find("\\", cursor, opener=True), self._find("$$", cursor, opener=True)
            if backslash == -1 and dollars == -1:
                break
            opener = dollars if backslash == -1 or (dollars != -1 and dollars < backslash) else backslash
            found = self._closer(opener)
            closing = self._find(found[0], found[1] + 1) if found is not None else -1
            if closing == -1:
                cursor = opener + 1
                continue
            closer, content = found
            end = closing + len(closer)
            pieces.append(text[done:opener])
            if closer == "\\)":
                pieces.append(f"${text[content:closing].strip()}$")
            elif closer == "\\]":
                pieces.append(f"$${text[content:closing].strip()}$$")
            elif closer == "$$":
                pieces.append(text[opener:end])
            else:
                pieces.append(f"$${text[opener:end]}$$")
            done = cursor = end
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)


def _is_navigation_line(line: str) -> bool:
    if len(line) > _MAX_NAVIGATION_LINE or not _LABEL_PUNCTUATION_RE.search(line):
        return False
    return _BRACKETED_LINE_RE.match(line) is not None or len(_NAVIGATION_LABEL_RE.findall(line)) >= 2


def _without_navigation_lines(text: str) -> str:
    """``text`` without navigation lines among its first and last :data:`_NAVIGATION_LINES_CHECKED` lines
    (where page headers and footers end up; navigation blocks elsewhere are removed from the tree): lines of
    bracketed labels only, and short lines with two or more labels followed by punctuation. Only those lines
    are split off; the middle of the text stays one string."""
    edge = _NAVIGATION_LINES_CHECKED
    head = text.split("\n", edge)
    middle: list[str] = []
    tail: list[str] = []
    if len(head) > edge:
        tail = head.pop().rsplit("\n", edge)
        if len(tail) > edge:
            middle = [tail.pop(0)]
    if not any(_is_navigation_line(line) for line in (*head, *tail)):
        return text
    kept = [line for line in head if not _is_navigation_line(line)]
    return "\n".join([*kept, *middle, *(line for line in tail if not _is_navigation_line(line))])


def _bullets(text: str) -> str:
    """The numbers Resiliparse gave the items of a converted bullet list (see _keep_list) back to bullets."""
    pieces = text.split(_BULLET_MARK)
    for index in range(len(pieces) - 1):
        head = pieces[index]
        if head.endswith(". "):
            start = len(head) - 2
            while start > 0 and head[start - 1].isdigit():
                start -= 1
            head = head[:start] + "- "
        pieces[index] = head
        pieces[index + 1] = pieces[index + 1].lstrip()
    return "".join(pieces)


def _tidy(text: str) -> str:
    """Text delimiters to dollars; list marks to bullets; navigation lines, trailing pilcrows and runs of blank
    lines removed."""
    text = TextMathScanner(text).convert()
    if _BULLET_MARK in text:
        text = _bullets(text)
    if "¶" in text:
        text = _TRAILING_PILCROW_RE.sub("", text)
    text = _without_navigation_lines(text)
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def extract_page(html: str) -> ExtractedPage:
    """Extract the main text of an HTML page with formulas as LaTeX (see the module docstring)."""
    if _XHTML_NAMESPACE in html[:4096]:
        html = _close_self_closed_anchors(html)
    tree = HTMLTree.parse(html)
    canonical_url = _canonical_url(tree)
    with_code = any(marker in html for marker in _TEXT_MATH_MARKERS) and _code_may_hold_math_marks(html, _CODE_TAGS)
    formulas = _lift_formulas(tree, with_code=with_code, with_pre=_code_may_hold_math_marks(html, _PRE_TAGS))
    text = extract_plain_text(tree, main_content=True, alt_texts=False)
    if len(text) < _MIN_MAIN_CONTENT_CHARS:  # main-content heuristics can drop a whole page; then take all of it
        everything = extract_plain_text(tree, main_content=False, alt_texts=False)
        if len(everything) > _MIN_WHOLE_PAGE_CHARS:
            text = everything
    # Delimiters are converted before the lifted formulas go back, so that those are never touched.
    text = _tidy(text)
    if formulas.verbatim:
        text = _VERBATIM_RE.sub(lambda match: formulas.code_text(int(match.group(1))), text)
    text, lifted = _put_formulas_back(text, formulas.latex)
    return ExtractedPage(text=text.strip(), markup_formulas=lifted, canonical_url=canonical_url)
