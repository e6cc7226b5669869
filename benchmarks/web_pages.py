"""The web-extraction benchmark's page set and its ground truth (used by benchmarks/web_extract.py).

Pages: real HTML from Debian documentation packages, one template per group of packages
(:data:`TEMPLATE_SOURCES`). Nothing of them is in git: ``benchmarks/web_pages.tsv`` (the manifest: set,
template or language, package, version, path) is, and :func:`fetch_pages` rebuilds the pages from it with
``apt-get download PACKAGE=VERSION`` and ``dpkg -x`` into ``.bench_pages/`` (gitignored). The manifest is
written once by :func:`write_manifest` (``web_extract.py --write-manifest``): per template,
:data:`PAGES_PER_TEMPLATE` pages at even steps through the sorted files that qualify (math markup where the
template is about math, some prose everywhere); for language ID, short English API pages and the French and
German pages of two translated manuals.

Ground truth comes from the HTML source through the standard library's ``html.parser``, independent of
Resiliparse and of every extractor compared:

* formulas with their mode: ``<script type="math/tex">`` (``mode=display`` is display), MathML ``<math>``
  (``display="block"`` is display; TeX from its annotation or ``alttext`` when given), and text delimiters
  outside ``pre``/``code``/``script``: ``\\(…\\)`` inline, ``\\[…\\]``, ``$$…$$`` and bare
  ``\\begin{align}``-like environments display;
* list items: ``<li>`` own text (nested lists apart) of at least three prose words, under half of it link
  text, outside ``nav``/``header``/``footer``/``aside``, navigation roles, and elements whose class or id
  names navigation (``nav…``, ``…footer``, ``header``, ``sidebar``, ``toc``);
* paragraphs: ``<p>`` text of at least eight prose words, under half of it links, outside the same;
* numpydoc ``name : type`` pairs (``<strong>`` name then ``span.classifier``) for glued words.

An item is found when its first ten prose words (lowercased letters and digits, formulas removed) appear in
that order in the extractor's output, normalised the same way. Boilerplate: per template, the navigation
lines the template is known to print (:data:`BOILERPLATE_LINES`; navigation only: Eigen's survey banner,
for one, is not counted).
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

CACHE = Path(".bench_pages")
MANIFEST = Path(__file__).with_name("web_pages.tsv")
PAGES_PER_TEMPLATE = 20
LID_PAGES = 100
# Pages of a translated manual left untranslated (read by hand): English text under another language's name
# (debian-reference's chapter 7, "GUI System", in every translation).
UNTRANSLATED = frozenset(f"usr/share/debian-reference/ch07.{language}.html" for language in ("fr", "de", "es", "it", "pt", "ja"))

# template -> (package, folder inside the package, file pattern, what a page must have: "math", "lists", "")
TEMPLATE_SOURCES: dict[str, list[tuple[str, str, str, str]]] = {
    "sphinx-numpydoc": [("python-scipy-doc", "usr/share/doc/python-scipy-doc/html/reference", "*.html", "math")],
    "sphinx-classic": [("python-mpmath-doc", "usr/share/doc/python-mpmath-doc/html", "*.html", "math")],
    "sphinx-python": [("python3.11-doc", "usr/share/doc/python3.11/html/library", "*.html", "lists")],
    "texinfo": [
        ("maxima-doc", "usr/share/maxima/5.46.0/doc/html", "maxima_*.html", ""),
        ("octave-doc", "usr/share/doc/octave/octave.html", "*.html", ""),
        ("asymptote-doc", "usr/share/doc/asymptote/html", "*.html", ""),
        ("r-doc-html", "usr/share/R/doc/manual", "*.html", ""),
    ],
    "gapdoc": [("gap-doc", "usr/share/gap/doc", "chap*_mj.html", "math")],
    "doxygen": [("libeigen3-doc", "usr/share/doc/libeigen3-dev/html", "*.html", "math")],
    "docbook": [
        ("debian-reference-en", "usr/share/debian-reference", "*.en.html", ""),
        ("maint-guide", "usr/share/doc/maint-guide/html", "*.en.html", ""),
    ],
    "mathjax-samples": [("libjs-mathjax", "usr/share/javascript/mathjax/test", "*.html", "math")],
}
# language -> sources of real pages in that language, for the language-ID check in both directions
LID_SOURCES: dict[str, list[tuple[str, str, str]]] = {
    "en": [
        ("python-scipy-doc", "usr/share/doc/python-scipy-doc/html/reference/generated", "*.html"),
        ("libeigen3-doc", "usr/share/doc/libeigen3-dev/html", "class*.html"),
    ],
    "fr": [("debian-reference-fr", "usr/share/debian-reference", "*.fr.html"),
           ("maint-guide-fr", "usr/share/doc/maint-guide-fr/html", "*.html")],
    "de": [("debian-reference-de", "usr/share/debian-reference", "*.de.html"),
           ("maint-guide-de", "usr/share/doc/maint-guide-de/html", "*.html")],
    "es": [("debian-reference-es", "usr/share/debian-reference", "*.es.html"),
           ("maint-guide-es", "usr/share/doc/maint-guide-es/html", "*.html")],
    "it": [("debian-reference-it", "usr/share/debian-reference", "*.it.html"),
           ("maint-guide-it", "usr/share/doc/maint-guide-it/html", "*.html")],
    "pt": [("debian-reference-pt", "usr/share/debian-reference", "*.pt.html")],
    "ja": [("debian-reference-ja", "usr/share/debian-reference", "*.ja.html")],
}  # fmt: skip

_SPHINX_LINES = (r"¶", r"^\s*On this page\s*$", r"(?i)^\s*(?:previous|next) (?:topic|page)\s*$",
                 r"(?i)^\s*(?:index|modules)\s*\|", r"^\s*(?:Quick search|Show Source|This Page)\s*$")
BOILERPLATE_LINES: dict[str, tuple[str, ...]] = {
    # pydata-sphinx-theme's previous/next bar prints "previous" and "next" alone on their lines
    "sphinx-numpydoc": (*_SPHINX_LINES, r"^\s*(?:previous|next)\s*$"),
    "sphinx-classic": _SPHINX_LINES,
    "sphinx-python": _SPHINX_LINES,
    "texinfo": (r"^\s*(?:Next|Previous|Prev|Up):", r"\[Contents\]", r"\[Index\]", r"^\s*Jump to:"),
    "gapdoc": (r"Goto Chapter:", r"\[Top of Book\]", r"\[Previous Chapter\]", r"\[Next Chapter\]",
               r"\[MathJax o(?:n|ff)\]"),
    "doxygen": (r"^\s*Main Page\b", r"Generated (?:on|by)",
                r"^\s*(?:Modules|Classes|Files|Namespaces|Related Pages)(?:\s+(?:Modules|Classes|Files|Namespaces|Related Pages|Examples))+\s*$"),
    "docbook": (r"^\s*(?:Prev|Next|Up|Home)(?:\s+(?:Prev|Next|Up|Home))*\s*$", r"Chapter \d+\.[^\n]*\s{2,}Chapter \d+\."),
    "mathjax-samples": (),
}  # fmt: skip

_MATH_MARKUP_RE = re.compile(rb"\\\(|\\\[|<math|math/tex|class=\"katex|mjx-container|\\begin\{")
_TEXT_MATH_RE = re.compile(
    r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]|\$\$(?P<dollars>.+?)\$\$"
    r"|(?P<environment>\\begin\{(?P<name>(?:equation|align|alignat|eqnarray|gather|multline|flalign)\*?)\}.+?\\end\{(?P=name)\})",
    re.DOTALL,
)
_OUTPUT_MATH_RE = re.compile(
    r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$|\\\((?P<inline2>.+?)\\\)|\\\[(?P<display2>.+?)\\\]",
    re.DOTALL,
)
_WORD_RE = re.compile(r"[^\W_]+")
_NAV_TAGS = frozenset({"nav", "header", "footer", "aside"})
# class or id naming navigation: nav, navbar, navpath, navheader, ..., header, footer, sidebar, toc
_NAV_NAME_RE = re.compile(r"(?i)(?:^|[\s_-])(?:nav\w*|\w*footer|header|sidebar\w*|toc)(?:$|[\s_-])")
_NAV_ROLES = frozenset({"navigation", "contentinfo", "banner", "menu", "menubar"})
_CODE_TAGS = frozenset({"pre", "code", "tt", "kbd", "samp"})
_INLINE_TAGS = frozenset({"a", "b", "i", "em", "strong", "span", "code", "tt", "sub", "sup", "small", "abbr", "var",
                          "cite", "kbd", "samp", "big", "u", "font", "q", "dfn", "mark", "s"})  # fmt: skip
_VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})


def prose_words(text: str) -> list[str]:
    """The lowercased words of ``text`` with its formulas (in any delimiter) taken out."""
    return _WORD_RE.findall(_OUTPUT_MATH_RE.sub(" ", text).lower())


def normalise_formula(latex: str) -> str:
    return re.sub(r"\s+", "", latex)


def output_formulas(text: str) -> list[tuple[str, bool]]:
    """``(normalised LaTeX, display)`` of each formula in an extractor's output ($…$, $$…$$, \\(…\\), \\[…\\])."""
    found = []
    for match in _OUTPUT_MATH_RE.finditer(text):
        display = match.group("display") if match.group("display") is not None else match.group("display2")
        inline = match.group("inline") if match.group("inline") is not None else match.group("inline2")
        found.append((normalise_formula(display), True) if display is not None else (normalise_formula(inline), False))
    return found


@dataclass
class Truth:
    """What a page holds, from its HTML source (see the module docstring)."""

    formulas: list[tuple[str | None, bool]] = field(default_factory=list)  # (normalised TeX or None, display)
    list_items: list[list[str]] = field(default_factory=list)  # first ten prose words of each item
    paragraphs: list[list[str]] = field(default_factory=list)
    name_type_pairs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    navigation: bool
    text: list[str] = field(default_factory=list)  # own text (li/p), nested lists apart
    linked: int = 0


class _TruthParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.truth = Truth()
        self.stack: list[_Open] = []
        self.skip_depth = 0  # inside script/style/...
        self.script_kind: str | None = None
        self.script_text: list[str] = []
        self.math_depth = 0
        self.math: dict = {}
        self.code_depth = 0
        self.link_depth = 0
        self.text_math: list[str] = []  # document text outside code, for text delimiters
        self.pending_name: str | None = None
        self.classifier_depth = 0
        self.classifier_text: list[str] = []
        self.strong_text: list[str] | None = None

    def _navigation(self) -> bool:
        return bool(self.stack) and self.stack[-1].navigation

    def _collectors(self) -> list[_Open]:
        """The open ``li`` and ``p`` elements that text now belongs to (a nested list's text is its own)."""
        found = []
        for element in reversed(self.stack):
            if element.tag in ("ul", "ol"):
                break
            if element.tag in ("li", "p"):
                found.append(element)
        return found

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in _VOID_TAGS:
            if tag == "br":
                self.handle_data(" ")
            return
        if self.skip_depth or tag in _SKIPPED_TAGS:
            self.skip_depth += 1
            if tag == "script" and self.skip_depth == 1 and attributes.get("type", "").startswith("math/tex"):
                self.script_kind = attributes["type"].replace(" ", "")
                self.script_text = []
            return
        if tag == "math" or self.math_depth:
            if tag == "math" and not self.math_depth:
                display = attributes.get("display", "") == "block" or attributes.get("mode", "") == "display"
                self.math = {"display": display, "alttext": attributes.get("alttext"), "annotation": None}
            if tag == "annotation" and "tex" in attributes.get("encoding", "").lower():
                self.math["annotation"] = []
            self.math_depth += 1
            return
        navigation = (
            self._navigation() or tag in _NAV_TAGS or attributes.get("role", "") in _NAV_ROLES
            or bool(_NAV_NAME_RE.search(f"{attributes.get('class', '')} {attributes.get('id', '')}"))
        )
        self.stack.append(_Open(tag, navigation))
        if tag in _CODE_TAGS:
            self.code_depth += 1
            self.text_math.append("\x00")
        if tag == "a":
            self.link_depth += 1
        if tag not in _INLINE_TAGS:
            self.text_math.append(" ")
            for collector in self._collectors():
                collector.text.append(" ")
        if tag == "strong":
            self.strong_text = []
        if tag == "span" and "classifier" in attributes.get("class", "").split():
            self.classifier_depth = 1
            self.classifier_text = []
        elif self.classifier_depth:
            self.classifier_depth += 1

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        if self.skip_depth:
            self.skip_depth -= 1
            if self.skip_depth == 0 and self.script_kind is not None:
                latex = "".join(self.script_text).strip()
                if latex:
                    self.truth.formulas.append((normalise_formula(latex), "mode=display" in self.script_kind))
                self.script_kind = None
            return
        if self.math_depth:
            self.math_depth -= 1
            if self.math_depth == 0:
                annotation = self.math["annotation"]
                latex = "".join(annotation) if annotation is not None else self.math["alttext"]
                self.truth.formulas.append((normalise_formula(latex) if latex else None, self.math["display"]))
            return
        if tag == "strong" and self.strong_text is not None:
            self.pending_name = "".join(self.strong_text).strip()
            self.strong_text = None
        if self.classifier_depth:
            self.classifier_depth -= 1
            if self.classifier_depth == 0 and self.pending_name:
                type_name = "".join(self.classifier_text).strip()
                if type_name:
                    self.truth.name_type_pairs.append((self.pending_name, type_name))
                self.pending_name = None
        # close the innermost open element of this tag (and any left open inside it)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                for element in self.stack[index:][::-1]:
                    self._close(element)
                del self.stack[index:]
                break

    def _close(self, element: _Open) -> None:
        if element.tag in _CODE_TAGS:
            self.code_depth -= 1
            self.text_math.append("\x00")
        if element.tag == "a":
            self.link_depth -= 1
        if element.tag not in _INLINE_TAGS:
            self.text_math.append(" ")
        if element.tag not in ("li", "p") or element.navigation:
            return
        text = "".join(element.text)
        words = prose_words(text)
        minimum = 3 if element.tag == "li" else 8
        if len(words) < minimum or element.linked * 2 >= len(text.strip()):
            return
        (self.truth.list_items if element.tag == "li" else self.truth.paragraphs).append(words[:10])

    def handle_data(self, data):
        if self.skip_depth:
            if self.script_kind is not None:
                self.script_text.append(data)
            return
        if self.math_depth:
            if self.math.get("annotation") is not None:
                self.math["annotation"].append(data)
            return
        if self.strong_text is not None:
            self.strong_text.append(data)
        if self.classifier_depth:
            self.classifier_text.append(data)
        self.text_math.append(data if not self.code_depth else data.replace("\\", "/").replace("$", " "))
        for collector in self._collectors():
            collector.text.append(data)
            if self.link_depth:
                collector.linked += len(data.strip())

    def close(self):
        super().close()
        for element in self.stack[::-1]:
            self._close(element)
        self.stack.clear()
        for match in _TEXT_MATH_RE.finditer("".join(self.text_math)):
            if match.group("inline") is not None:
                self.truth.formulas.append((normalise_formula(match.group("inline")), False))
            else:
                latex = match.group("display") or match.group("dollars") or match.group("environment")
                self.truth.formulas.append((normalise_formula(latex), True))


def ground_truth(html: str) -> Truth:
    parser = _TruthParser()
    parser.feed(html)
    parser.close()
    return parser.truth


# ----------------------------------------------------------------------------------------------- the page set


@dataclass(frozen=True)
class PageEntry:
    kind: str  # "extract" or "lid"
    group: str  # template (extract) or language (lid)
    package: str
    version: str
    path: str  # inside the unpacked package tree

    @property
    def file(self) -> Path:
        return CACHE / "root" / self.path


def read_manifest(path: Path = MANIFEST) -> list[PageEntry]:
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise SystemExit(f"{path}:{number}: expected 5 tab-separated fields, got {len(fields)}")
        entries.append(PageEntry(*fields))
    return entries


def fetch_pages(entries: list[PageEntry]) -> None:
    """Download and unpack each package of the manifest (once; the cache is reused)."""
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    for package, version in sorted({(entry.package, entry.version) for entry in entries}):
        marker = CACHE / "root" / f".unpacked-{package}_{version}"
        if marker.exists():
            continue
        found = list(debs.glob(f"{package}_*.deb"))
        if not found:
            subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=debs, check=True)
            found = list(debs.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg", "-x", str(found[0]), str(CACHE / "root")], check=True)
        marker.touch()
    missing = [entry.path for entry in entries if not entry.file.is_file()]
    if missing:
        raise SystemExit(f"{len(missing)} manifest pages missing after unpacking, e.g. {missing[0]}")


def _package_version(package: str) -> str:
    found = list((CACHE / "debs").glob(f"{package}_*.deb"))
    if not found:
        subprocess.run(["apt-get", "download", package], cwd=CACHE / "debs", check=True)
        found = list((CACHE / "debs").glob(f"{package}_*.deb"))
    version = subprocess.run(["dpkg-deb", "-f", str(found[0]), "Version"], capture_output=True, text=True, check=True)
    marker = CACHE / "root" / f".unpacked-{package}_{version.stdout.strip()}"
    if not marker.exists():
        subprocess.run(["dpkg", "-x", str(found[0]), str(CACHE / "root")], check=True)
        marker.touch()
    return version.stdout.strip()


def _files(folder: str, pattern: str) -> list[Path]:
    root = CACHE / "root" / folder
    return sorted(path for path in root.rglob(pattern) if path.is_file() and not path.is_symlink())


def _qualifies(data: bytes, need: str) -> bool:
    text_words = len(re.findall(rb"[A-Za-z]{3,}", re.sub(rb"<[^>]*>", b" ", data)))
    if text_words < 150:
        return False
    if need == "math":
        return bool(_MATH_MARKUP_RE.search(data))
    if need == "lists":
        return data.count(b"<li") >= 3
    return True


def _even_steps(paths: list[Path], count: int) -> list[Path]:
    step = max(1, len(paths) // count)
    return paths[::step][:count]


def write_manifest(path: Path = MANIFEST) -> list[PageEntry]:
    """Choose the pages (see the module docstring) and write the manifest."""
    (CACHE / "debs").mkdir(parents=True, exist_ok=True)
    entries: list[PageEntry] = []
    for template, sources in TEMPLATE_SOURCES.items():
        candidates: list[tuple[str, Path]] = []
        for package, folder, pattern, need in sources:
            version = _package_version(package)
            per_source = [(package, version, p) for p in _files(folder, pattern) if _qualifies(p.read_bytes(), need)]
            candidates.extend(_even_steps(per_source, PAGES_PER_TEMPLATE // len(sources) + 1))
        for package, version, page in _even_steps(candidates, PAGES_PER_TEMPLATE):
            entries.append(PageEntry("extract", template, package, version, str(page.relative_to(CACHE / "root"))))
    for language, sources in LID_SOURCES.items():
        chosen = []
        for package, folder, pattern in sources:
            version = _package_version(package)
            pages = [p for p in _files(folder, pattern) if str(p.relative_to(CACHE / "root")) not in UNTRANSLATED]
            chosen.extend((package, version, p) for p in _even_steps(pages, LID_PAGES // len(sources)))
        entries.extend(PageEntry("lid", language, pkg, ver, str(p.relative_to(CACHE / "root"))) for pkg, ver, p in chosen)
    header = "# kind\tgroup\tpackage\tversion\tpath (written by benchmarks/web_extract.py --write-manifest)\n"
    path.write_text(header + "".join(f"{e.kind}\t{e.group}\t{e.package}\t{e.version}\t{e.path}\n" for e in entries))
    return entries
