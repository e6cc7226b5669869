import random
import re

from resiliparse.extract.html2text import extract_plain_text

from math_lm.data.html_math import TextMathScanner, extract_page
from tests.math_lm.data.web_fixtures import SCIPY_DOC
from tests.math_lm.data.web_fixtures import page_with_boilerplate as _page


def test_mathjax_scripts_inline_and_display():
    text = extract_page(
        _page('<p>Let <script type="math/tex">x^2</script> and <script type="math/tex; mode=display">\\int_0^1 f</script>.</p>')
    ).text
    assert "Let $x^2$ and $$\\int_0^1 f$$." in text


def test_mathjax_2_rendered_output_and_preview_are_not_kept():
    body = (
        '<p>Energy <span class="MathJax_Preview">E=mc2</span><span class="MathJax" id="MathJax-Element-1-Frame">'
        '<span class="math">E = m c 2 rendered</span></span><script type="math/tex" id="MathJax-Element-1">E=mc^2</script>'
        " is conserved.</p>"
    )
    text = extract_page(_page(body)).text
    assert "Energy $E=mc^2$ is conserved." in text and "rendered" not in text


def test_mathjax_3_container_gives_its_assistive_mathml():
    body = (
        '<p>Area <mjx-container class="MathJax CtxtMenu_Attached_0" jax="CHTML" display="true"><mjx-math>'
        "<mjx-mi></mjx-mi></mjx-math><mjx-assistive-mml><math display='block'><semantics><mrow><mi>r</mi></mrow>"
        '<annotation encoding="application/x-tex">\\pi r^2</annotation></semantics></math></mjx-assistive-mml>'
        "</mjx-container> of a disc.</p>"
    )
    assert "Area $$\\pi r^2$$ of a disc." in extract_page(_page(body)).text


def test_text_delimiters_and_bare_environments_become_dollars():
    text = extract_page(_page("<p>Inline \\(a+b\\), display \\[c=d\\], dollars $e$, \\begin{align*}f&=g\\end{align*}.</p>")).text
    assert "Inline $a+b$, display $$c=d$$, dollars $e$, $$\\begin{align*}f&=g\\end{align*}$$." in text


# The pairing rule TextMathScanner implements, as the regular expression it replaced (which is quadratic on
# unclosed openers): each opener with the first closer of its kind after it, at least one character between.
_PAIRING_RULE = re.compile(
    r"\\(?:\((?P<inline>.+?)\\\)|\[(?P<display>.+?)\\\]"
    r"|(?P<environment>begin\{(?P<name>(?:equation|align|alignat|eqnarray|gather|multline|flalign)\*?)\}"
    r".+?\\end\{(?P=name)\}))"
    r"|(?P<dollars>\$\$.+?\$\$)",
    re.DOTALL,
)


def _by_pairing_rule(text: str) -> str:
    def dollars(match: re.Match) -> str:
        if match.group("inline") is not None:
            return f"${match.group('inline').strip()}$"
        if match.group("display") is not None:
            return f"$${match.group('display').strip()}$$"
        if match.group("environment") is not None:
            return f"$$\\{match.group('environment')}$$"
        return match.group(0)

    return _PAIRING_RULE.sub(dollars, text)


def test_text_math_scanner_pairs_delimiters_like_the_rule():
    pieces = ["\\", "(", ")", "[", "]", "$", "$$", " ", "x", "\n", "\\(", "\\)", "\\[", "\\]", "\\begin{align}",
              "\\end{align}", "\\begin{align*}", "\\end{align*}", "\\begin{alignat}", "\\end{alignat}", "begin{", "}",
              "\\begin{foo}", "\\end{foo}", "\\begin{equation}", "\\end{equation}", "{", "\\\\"]  # fmt: skip
    generator = random.Random(0)
    for _ in range(20_000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 14)))
        assert TextMathScanner(text).convert() == _by_pairing_rule(text), text


def test_unclosed_text_math_openers_are_scanned_in_linear_time():
    # 20,000 unclosed openers in 100 KB took the regular expression a minute: each searched to the end
    for opener in ("\\(", "\\[", "$$", "\\begin{align}"):
        text = (opener + "xyz") * 20_000
        scanner = TextMathScanner(text)
        assert scanner.convert() == text
        assert scanner.searched <= 5 * len(text)
    closed = "Let \\(x\\) be " * 20_000
    scanner = TextMathScanner(closed)
    assert scanner.convert() == "Let $x$ be " * 20_000 and scanner.searched <= 5 * len(closed)


def test_preformatted_code_is_never_math():
    body = "<p>Parentheses are matched by \\(x\\) here.</p><pre>re.compile(r'\\(\\d+\\)')\nre.compile(r'\\[a\\]')</pre>"
    text = extract_page(_page(body)).text
    assert "Parentheses are matched by $x$ here." in text
    assert "re.compile(r'\\(\\d+\\)')\nre.compile(r'\\[a\\]')" in text


def test_lifted_formulas_are_not_touched_by_the_text_rules():
    body = '<p>Group <script type="math/tex">\\left\\[ a \\right\\] \\(b\\)</script> stays.</p>'
    assert "Group $\\left\\[ a \\right\\] \\(b\\)$ stays." in extract_page(_page(body)).text


def test_katex_annotation_is_used_and_rendered_copy_dropped():
    katex = (
        '<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>a</mi></mrow>'
        '<annotation encoding="application/x-tex">a^2 + b^2</annotation></semantics></math></span>'
        '<span class="katex-html" aria-hidden="true"><span>a2+b2</span></span></span>'
    )
    text = extract_page(_page(f"<p>Sum {katex} holds, and <span class='katex-display'>{katex}</span>.</p>")).text
    assert "Sum $a^2 + b^2$ holds, and $$a^2 + b^2$$." in text and "a2+b2" not in text


def test_mathml_alttext_and_conversion():
    alt = '<math alttext="\\sum_{i=1}^n i"><mi>x</mi></math>'
    converted = (
        '<math display="block"><mfrac><mi>π</mi><msqrt><mn>2</mn></msqrt></mfrac><mo>≤</mo>'
        "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>"
    )
    page = _page(f"<p>A {alt} and {converted}.</p>")
    assert "A $\\sum_{i=1}^n i$ and $$\\frac{\\pi}{\\sqrt{2}}\\leq{x}_{i}^{2}$$." in extract_page(page).text
    assert "π" in extract_plain_text(page, main_content=True)  # what Resiliparse alone makes of MathML


def test_latex_images():
    body = (
        '<p>One <img class="math" alt="$y = mx + c$" src="f.png">, '
        'two <img class="latex" src="https://s0.wp.com/latex.php?latex=e%5E%7Bi%5Cpi%7D&amp;bg=fff" alt="e^{i\\pi}">, '
        'three <img src="https://s0.wp.com/latex.php?latex=%5Cphi&amp;bg=fff">, '
        'four <img src="https://latex.codecogs.com/gif.latex?\\alpha%2B1">, '
        'and a photo <img src="cat.jpg" alt="a cat">.</p>'
    )
    text = extract_page(_page(body)).text
    assert "One $y = mx + c$, two $e^{i\\pi}$, three $\\phi$, four $\\alpha+1$, and a photo ." in text


def test_wikipedia_mathml_and_fallback_image_give_one_formula():
    body = (
        '<p>Euler <span class="mwe-math-element"><span class="mwe-math-mathml-inline" style="display: none;">'
        '<math alttext="{\\displaystyle e^{i\\pi}}"><semantics><mi>e</mi>'
        '<annotation encoding="application/x-tex">{\\displaystyle e^{i\\pi}}</annotation></semantics></math></span>'
        '<img class="mwe-math-fallback-image-inline" alt="{\\displaystyle e^{i\\pi}}" src="x.svg"></span> identity.</p>'
    )
    text = extract_page(_page(body)).text
    assert text.count("e^{i\\pi}") == 1


def test_boilerplate_is_removed():
    text = extract_page(_page("<p>Main text here.</p>")).text
    assert text == "Main text here."


def test_documentation_site_boilerplate_is_removed():
    prose = "<p>" + "The solver integrates the system of equations with an adaptive step size. " * 4 + "</p>"
    page = (
        "<html><body><div class='document'><div class='body'>"
        "<h1>Integration<a class='headerlink' href='#integration' title='Permalink to this heading'>¶</a></h1>"
        "<div class='tocsection onthispage'>On this page</div><div class='toc'><ul><li>Usage</li></ul></div>"
        f"{prose}<div class='prev-next-area'><a class='left-prev' href='a.html'>previous Ordinary equations</a>"
        "<a class='right-next' href='c.html'>next Partial equations</a></div>"
        "<div class='rst-footer-buttons'><a href='a.html'>Previous</a></div></div></div></body></html>"
    )
    text = extract_page(page).text
    assert text.startswith("Integration\n") and "adaptive step size" in text
    for boilerplate in ("¶", "On this page", "Usage", "previous", "next", "Previous"):
        assert boilerplate not in text


def test_real_scipy_pages_keep_their_math_and_lose_the_site_navigation():
    html = (SCIPY_DOC / "scipy.stats.genhyperbolic.html").read_text()
    page = extract_page(html)
    text = page.text
    assert text.startswith("scipy.stats.genhyperbolic")
    assert "$$f(x, p, a, b) = \\frac{(a^2 - b^2)^{p/2}}" in text
    assert "for $x, p \\in ( - \\infty; \\infty)$, $|b| < a$ if $p \\ge 0$" in text
    assert "\\(" not in text and "\\[" not in text
    for boilerplate in ("¶", "On this page", "previous", "next\n", "Section Navigation"):
        assert boilerplate not in text
    assert "On this page" in html and "¶" in html  # the page has them; extraction removed them

    norm = extract_page((SCIPY_DOC / "continuous_norm.html").read_text()).text
    assert norm.count("$$\\begin{eqnarray*}") == 3 and "erf}\\left(\\frac{x}{\\sqrt{2}}" in norm


def test_canonical_url():
    page = extract_page('<html><head><link rel="canonical" href="https://d.example/f"></head><body><p>x</p></body></html>')
    assert page.canonical_url == "https://d.example/f"
    page = extract_page('<html><head><meta property="og:url" content="https://e.example/g"></head><body></body></html>')
    assert page.canonical_url == "https://e.example/g"


_PROSE = "<p>" + "The group acts on the set of cosets by multiplication from the right. " * 3 + "</p>"


def test_lists_survive_main_content_extraction():
    # Resiliparse drops a bullet list near <body> and one holding a link; the list after "by:" must stay
    page = (
        f"<html><body><div class='body'>{_PROSE}<p>The opening is followed in sequence by:</p>"
        "<ul><li>the pawn advance to the centre</li><li>a knight developed towards <a href='k.html'>the king</a></li>"
        "<li>castling <ul><li>on the short side</li></ul></li></ul>"
        f"<ol><li>first numbered step</li><li>second numbered step</li></ol>{_PROSE}"
        "<ul><li><a href='a.html'>Chapter one</a></li><li><a href='b.html'>Chapter two</a></li></ul></div></body></html>"
    )
    assert "pawn advance" not in extract_plain_text(page, main_content=True)  # what Resiliparse alone keeps
    text = extract_page(page).text
    assert "followed in sequence by:\n\n  - the pawn advance to the centre\n  - a knight developed towards the king\n" in text
    assert "  - castling\n    - on the short side\n  1. first numbered step\n  2. second numbered step" in text
    assert "Chapter one" not in text  # a list of links is navigation


def test_an_element_named_related_is_not_deleted():
    page = (
        "<html><body><div class='document'><section id='related-distributions'>"
        f"<h1>Related distributions</h1>{_PROSE}<p>Here <script type='math/tex'>X \\sim N(0, 1)</script>.</p>"
        "</section><div class='sphinxsidebar related-links'><ul><li><a href='x.html'>Normal</a></li>"
        "<li><a href='y.html'>Gamma</a></li><li><a href='z.html'>Beta</a></li></ul></div></div></body></html>"
    )
    assert "cosets" not in extract_plain_text(page, main_content=True)
    text = extract_page(page).text
    assert text.startswith("Related distributions") and "cosets" in text and "$X \\sim N(0, 1)$" in text
    assert "Gamma" not in text


def test_navigation_of_other_templates_is_removed():
    texinfo = (  # texinfo's header line (maxima-doc)
        '<div class="header"><p>Next: <a href="maxima_28.html" accesskey="n" rel="next">Expressions</a>, '
        'Previous: <a href="maxima_6.html" accesskey="p" rel="prev">Command Line</a> &nbsp; '
        '[<a href="maxima_toc.html#SEC_Contents" title="Table of contents" rel="contents">Contents</a>]'
        '[<a href="maxima_377.html" title="Index" rel="index">Index</a>]</p></div>'
    )
    gapdoc = (  # GAPDoc's chapter bar, previous/next bar and MathJax switch
        '<div class="chlinktop"><span class="chlink1">Goto Chapter: </span><a href="chap0_mj.html">Top</a>  '
        + "".join(f'<a href="chap{n}_mj.html">{n}</a>  ' for n in range(1, 13))
        + '<a href="chapBib_mj.html">Bib</a>  <a href="chapInd_mj.html">Ind</a>  </div>'
        '<div class="chlinkprevnexttop">&nbsp;<a href="chap0_mj.html">[Top of Book]</a>&nbsp;  '
        '<a href="chap0_mj.html#contents">[Contents]</a>&nbsp;  &nbsp;<a href="chap3_mj.html">[Previous Chapter]</a>'
        '&nbsp;  &nbsp;<a href="chap5_mj.html">[Next Chapter]</a>&nbsp;  </div>'
        '<p id="mathjaxlink" class="pcenter"><a href="chap4.html">[MathJax off]</a></p>'
    )
    docbook = (  # DocBook's navigation footer (debian-reference)
        '<div class="navfooter"><hr/><table width="100%" summary="Navigation footer"><tr>'
        '<td align="left"><a accesskey="p" href="ch02.en.html"><img src="images/prev.png" alt="Prev"/></a> </td>'
        '<td align="right"> <a accesskey="n" href="ch04.en.html"><img src="images/next.png" alt="Next"/></a></td>'
        '</tr><tr><td align="left" valign="top">Chapter 2. Debian package management </td><td align="center">'
        '<a accesskey="h" href="index.en.html"><img src="images/home.png" alt="Home"/></a></td>'
        '<td align="right" valign="top"> Chapter 4. Authentication and access controls</td></tr></table></div>'
    )
    page = f"<html><body><div><div><div>{texinfo}{gapdoc}<h2>5 Data Types</h2>{_PROSE}{docbook}</div></div></div></body></html>"
    assert "Goto Chapter" in extract_plain_text(page, main_content=True)
    text = extract_page(page).text
    assert text.startswith("5 Data Types\n\nThe group acts") and text.endswith("from the right.")


def test_navigation_lines_are_removed_but_prose_about_next_steps_stays():
    body = "<p>Next: Expressions, Previous: Command Line [Contents][Index]</p><p>[Top of Book] [Contents]</p>"
    prose = "<p>Next, we compute the index: it is the number of cosets.</p>"
    text = extract_page(_page(body + prose)).text
    assert text == "Next, we compute the index: it is the number of cosets."


def test_delimiters_in_inline_code_never_pair_with_text_outside():
    body = (
        "<p>MathJax starts display math at <code class='docutils literal'><span class='pre'>\\[</span></code>"
        " and the rest of this sentence is prose. Only \\[x^2\\] is a formula, and <tt>$</tt> alone is a dollar.</p>"
    )
    text = extract_page(_page(body)).text
    assert text == (
        "MathJax starts display math at \\[ and the rest of this sentence is prose. Only $$x^2$$ is a formula, "
        "and $ alone is a dollar."
    )


def test_code_that_holds_delimiters_only_through_character_references_is_still_set_aside():
    # code is visited only on pages whose source shows a backslash or dollar inside it: references count too
    for reference in ("&#92;", "&#x5C;", "&bsol;"):
        body = f"<p>Display math starts at <code>{reference}[</code> in prose; only \\[x^2\\] is a formula.</p>"
        text = extract_page(_page(body)).text
        assert text == "Display math starts at \\[ in prose; only $$x^2$$ is a formula.", reference


def test_numpydoc_name_and_type_are_not_glued():
    body = (
        '<dl class="field-list"><dt class="field-odd">Parameters</dt><dd class="field-odd"><dl>'
        '<dt><strong>params</strong><span class="classifier">ndarray</span></dt><dd><p>Shape parameters.</p></dd>'
        "</dl></dd></dl>"
    )
    text = extract_page(_page(body)).text
    assert "params : ndarray" in text and "paramsndarray" not in text


def test_a_page_that_main_content_extraction_empties_is_taken_whole():
    # MathJax's sample pages: the page is hidden until MathJax has typeset it, so main content is empty
    page = (
        "<html><body><h1>Sample MathJax Equations</h1><div id='hide_page' style='visibility:hidden'><blockquote>"
        "<h2>The Lorenz Equations</h2><p>\\begin{align}\\dot{x} &= \\sigma(y-x)\\end{align}</p>"
        + "".join(f"<h2>Equation {n}</h2><p>\\[ x_{n} = {n} \\] holds for the {n}th term.</p>" for n in range(30))
        + "</blockquote></div></body></html>"
    )
    assert len(extract_plain_text(page, main_content=True)) < 50
    text = extract_page(page).text
    assert text.startswith("Sample MathJax Equations") and "$$\\begin{align}\\dot{x} &= \\sigma(y-x)\\end{align}$$" in text
    assert "$$x_29 = 29$$ holds" in text


def test_xhtml_anchor_holding_its_section_is_unwrapped():
    # debian-reference (DocBook XHTML) read as HTML: <a id="..."/> in a heading opens an element that the
    # parser carries into the list that follows; Resiliparse then drops the section
    page = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="chapter"><div class="section">'
        "<div class='section'><div class='titlepage'>"
        "<div><div><h3 class='title'><a id='_unix_text_tools'/>1.6.1. Unix text tools</h3></div></div></div>"
        "<p>There are few standard text processing tools which are used very often on the Unix-like system.</p>"
        "<div class='itemizedlist'><ul class='itemizedlist'><li class='listitem'><p> No regular expression is used: </p>"
        "<div class='itemizedlist'><ul class='itemizedlist'><li class='listitem'><p><code class='literal'>cat</code>"
        "(1) concatenates files and outputs the whole content.  </p></li><li class='listitem'><p>"
        "<code class='literal'>tac</code>(1) concatenates files and outputs in reverse.  </p></li></ul></div></li>"
        "</ul></div></div></div></div></body></html>"
    )
    assert extract_plain_text(page, main_content=True) == ""
    text = extract_page(page).text
    assert "There are few standard text processing tools" in text
    assert "  - No regular expression is used:\n\n    - cat(1) concatenates files and outputs the whole content." in text
