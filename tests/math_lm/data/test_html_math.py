from resiliparse.extract.html2text import extract_plain_text

from math_lm.data.html_math import extract_page
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
