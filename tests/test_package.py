"""The package's design rules, tested: lazy layered imports, one API list, one dtype policy.

Also the composed test in micrograd's style: a conv → ReLU → pool block built
from the course's NumPy functions equals the same block in PyTorch.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import cnncourse
from cnncourse import KERNELS, conv2d, get_activation, pool2d, relu

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cnncourse"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))

# The subpackages and what each may import (its own modules, and these): compute returns data in
# English; i18n translates; the figures, chapter figures, exercises and widgets show it. Each
# subpackage's docstring says the same in its "May import:" line.
COMPUTE = ("core", "ops", "nets", "featureviz", "attribution")
SHOWN = (*COMPUTE, "i18n", "figures")
LAYERS: dict[str, tuple[str, ...]] = {
    "core": (), "ops": ("core",), "nets": ("core", "ops"), "featureviz": ("core", "ops", "nets"),
    "attribution": ("core", "ops", "nets", "featureviz"), "i18n": (), "figures": COMPUTE + ("i18n",),
    "chapter_figures": SHOWN, "exercises": SHOWN, "widgets": SHOWN,
}
TOP = {"__init__", "__main__"}
"""The package's own two files: the public API (which names any module) and the command line."""
HEAVY = ("torch", "matplotlib", "ipywidgets")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names) for every import of ``path``, relative imports resolved."""
    tree = ast.parse(path.read_text())
    package = _module_name(path).split(".")[:-1] if path.name != "__init__.py" else _module_name(path).split(".")[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
                found.append(("cnncourse." + module if module else "cnncourse", [a.name for a in node.names]))
            elif node.module:
                found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


def test_importing_the_numpy_core_loads_no_torch_matplotlib_or_ipywidgets():
    code = ("import sys, cnncourse; cnncourse.conv2d; cnncourse.pool2d; cnncourse.relu; cnncourse.KERNELS;"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout


def test_every_public_name_resolves_and_is_listed_once():
    assert len(cnncourse.__all__) == len(set(cnncourse.__all__))
    for name in cnncourse.__all__:
        assert getattr(cnncourse, name) is not None
    assert set(cnncourse.__all__) <= set(dir(cnncourse))
    with pytest.raises(AttributeError, match="has no attribute 'conv3d'"):
        cnncourse.conv3d  # noqa: B018
    lists = [p for p in MODULES if p != PACKAGE / "__init__.py" and "__all__" in p.read_text()]
    assert not lists, f"the public API is listed once, in cnncourse/__init__.py: {lists}"


def test_no_private_names_are_imported_across_modules():
    private = [f"{_module_name(p)}: from {module} import {name}"
               for p in MODULES for module, names in _imports(p)
               if module.startswith("cnncourse") for name in names if name.startswith("_")]
    assert not private, private


def _subpackage(path: Path) -> str:
    return _module_name(path).split(".")[0]


def test_every_module_is_in_a_subpackage_whose_docstring_says_what_it_may_import():
    loose = [_module_name(p) for p in MODULES if p.parent == PACKAGE and p.stem not in TOP]
    assert not loose, f"put each module in a subpackage: {loose}"
    assert {_subpackage(p) for p in MODULES} - TOP == set(LAYERS)
    for name, allowed in LAYERS.items():
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text())) or ""
        said = re.search(r"May import: ([^.]*)", doc)
        assert said, f"cnncourse/{name}/__init__.py: the docstring says what it may import ('May import: ...')"
        named = set(re.findall(r"\b\w+\b", said.group(1))) & set(LAYERS)
        assert named == set(allowed), f"{name}: the docstring says {sorted(named)}, the test {sorted(allowed)}"


def _wrong_imports(path: Path) -> list[str]:
    name, own = _module_name(path), _subpackage(path)
    if own in TOP:
        return []
    allowed = {own, *LAYERS[own]}
    return [f"{name} ({own}) imports {module}" for module, _ in _imports(path)
            if module.startswith("cnncourse.") and module.split(".")[1] not in allowed]


def test_subpackages_import_one_way():
    wrong = [w for path in MODULES for w in _wrong_imports(path)]
    assert not wrong, wrong


def test_the_layering_test_sees_a_wrong_import(tmp_path, monkeypatch):
    """Near misses: compute importing i18n or figures, i18n importing compute, ops importing nets."""
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    cases = {"ops/convolution.py": "from ..nets.vgg import load_vgg16\n",
             "nets/vgg.py": "from ..i18n.translate import tr\n",
             "i18n/translate.py": "from ..core.validate import int_at_least\n",
             "attribution/gradients.py": "def f():\n    from ..figures.html import image_html\n",
             "figures/html.py": "from ..widgets.base import Explorer\n"}
    for relative, code in cases.items():
        path = tmp_path / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(code)
        assert len(_wrong_imports(path)) == 1, relative
    fine = tmp_path / "figures" / "curves.py"
    fine.write_text("from ..i18n.translate import tr\nfrom ..ops.activations import relu\nfrom .palette import BLUE\n")
    assert _wrong_imports(fine) == []


def test_compute_imports_no_matplotlib_ipywidgets_or_ipython():
    """Compute returns arrays and data; drawing them is the figures layer's (even inside a function)."""
    drawing = ("matplotlib", "ipywidgets", "IPython", "anywidget")
    found = [f"{_module_name(p)} imports {module}" for p in MODULES if _subpackage(p) in COMPUTE + ("i18n",)
             for module, _ in _imports(p) if module.split(".")[0] in drawing]
    assert not found, found


def _patches(path: Path, own: set[str]) -> list[str]:
    """Assignments to an attribute of an imported module or class (``Text.draw = ...``,
    ``setattr(matplotlib.text.Text, ...)``) that is not one of ``own``'s modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] not in own}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module.split(".")[0] not in own:
            imported |= {a.asname or a.name for a in node.names}

    def base(node: ast.AST) -> str | None:
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("setattr", "delattr") and node.args:
            targets = [ast.Attribute(value=node.args[0], attr="?")]
        for target in targets:
            for part in ast.walk(target) if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.Attribute) and base(part) in imported:
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(part)}")
    return found


def test_no_module_patches_another_package():
    """Nothing replaces an attribute of a class or module it imported (matplotlib's ``Text.draw``, a
    library's function): settings go through the library's own API (``rcParams[...] = ...`` is fine)."""
    found = []
    for folder, own in ((PACKAGE, {"cnncourse"}), (ROOT / "_ext", None), (ROOT / "tools", None)):
        own = own or {p.stem for p in folder.glob("*.py")}
        found += [patch for path in sorted(folder.rglob("*.py")) for patch in _patches(path, own)]
    assert not found, found


def test_the_patch_test_sees_a_patch(tmp_path):
    module = tmp_path / "patching.py"
    module.write_text("import matplotlib\nfrom matplotlib.text import Text\nfrom . import own\n"
                      "Text.draw = print\nmatplotlib.text.Text.draw += 1\nsetattr(Text, 'draw', print)\n"
                      "matplotlib.rcParams['font.family'] = ['x']\nown.value = 1\nText2 = Text\n")
    assert [found.split(": ")[1] for found in _patches(module, {"cnncourse"})] == [
        "Text.draw", "matplotlib.text.Text.draw", "Text.?"]


def test_no_compute_module_writes_html():
    """A verdict or a banner is data; the figures layer draws it (cnncourse.figures.html)."""
    writes = [name for path in MODULES if _subpackage(path) in COMPUTE + ("i18n",) and (name := _module_name(path))
              and re.search(r"_repr_html_|<(div|img|svg|table|picture)\b", path.read_text())]
    assert not writes, writes


def test_a_notebook_draws_feedback_and_the_weights_banner_with_the_figures_layer(capsys):
    from IPython.core.formatters import DisplayFormatter

    from cnncourse.exercises.feedback import check_number
    from cnncourse.figures.html import feedback_html, register_notebook_views
    from cnncourse.nets.weights import weights_banner

    shell = types.SimpleNamespace(display_formatter=DisplayFormatter())
    register_notebook_views(shell)
    verdict = check_number(3, 3.0)
    assert shell.display_formatter.format(verdict)[0] == {"text/html": feedback_html(verdict), "text/plain": repr(verdict)}
    assert shell.display_formatter.format(weights_banner("imagenet")) == ({}, {})  # nothing at all, not even empty
    shell.display_formatter.format(weights_banner("random"))
    assert "UNTRAINED NETWORK" in capsys.readouterr().out  # (outside a kernel, display() prints)


def test_no_module_is_longer_than_about_350_lines():
    long = {_module_name(p): n for p in MODULES if (n := len(p.read_text().splitlines())) > 370}
    assert not long, f"modules over about 350 lines: {long}"


# -- one dtype policy for the NumPy operations ---------------------------------------

DTYPES = [np.bool_, np.uint8, np.int8, np.int32, np.int64, np.float16, np.float32, np.float64]


def _numpy_ops():
    yield "conv2d", lambda a: conv2d(a, np.ones((2, 2), dtype=a.dtype))
    yield "pool2d max", lambda a: pool2d(a, 2)
    yield "pool2d avg", lambda a: pool2d(a, 2, mode="avg")
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "gelu"):
        activation = get_activation(name)
        yield name, activation.function
        yield f"{name}'", activation.derivative


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("op", list(_numpy_ops()), ids=lambda op: op[0])
def test_float32_stays_float32_and_everything_else_is_float64(op, dtype):
    _, function = op
    values = np.array([[0, 1, 2, 3], [3, 2, 1, 0], [1, 1, 0, 0], [2, 0, 2, 0]]).astype(dtype)
    result = function(values)
    expected = np.float32 if dtype == np.float32 else np.float64
    assert result.dtype == expected
    reference = function(values.astype(np.float64))
    np.testing.assert_allclose(result, reference, rtol=1e-6 if dtype == np.float32 else 0, atol=1e-6)


def test_a_float32_image_with_a_float64_kernel_computes_in_float64():
    image = np.ones((4, 4), np.float32)
    assert conv2d(image, KERNELS["sharpen"]).dtype == np.float64
    assert conv2d(image, KERNELS["sharpen"].astype(np.float32)).dtype == np.float32


# -- a whole block, composed (micrograd's habit: build it twice, compare) --------------

@settings(max_examples=40, deadline=None)
@given(
    image=arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(6, 12), st.integers(6, 12)),
                 elements=st.floats(-4, 4, allow_nan=False, width=64)),
    seed=st.integers(0, 2**16),
    padding=st.integers(0, 1),
)
def test_conv_relu_pool_block_equals_pytorch(image, seed, padding):
    channels = image.shape[0]
    kernel = np.random.default_rng(seed).normal(size=(channels, 3, 3))
    ours = pool2d(relu(conv2d(image, kernel, padding=padding)), 2)

    x = torch.from_numpy(image)[None]
    w = torch.from_numpy(kernel)[None]
    theirs = F.max_pool2d(F.relu(F.conv2d(x, w, padding=padding)), 2)[0, 0].numpy()

    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


# -- the kernels' sign convention ------------------------------------------------------------

def test_edge_kernels_are_positive_where_the_image_gets_brighter():
    """Cross-correlation, no flip: 'vertical edge' answers dark-to-bright from left to right, etc."""
    left_to_right = np.tile([0.0, 0, 0, 1, 1, 1], (6, 1))
    top_to_bottom = left_to_right.T
    for name in ("vertical edge", "sobel x"):
        assert conv2d(left_to_right, KERNELS[name]).max() > 0, name
        assert conv2d(left_to_right, KERNELS[name]).min() == 0, name
        assert np.allclose(conv2d(top_to_bottom, KERNELS[name]), 0), name
    for name in ("horizontal edge", "sobel y"):
        assert conv2d(top_to_bottom, KERNELS[name]).max() > 0, name
        assert conv2d(top_to_bottom, KERNELS[name]).min() == 0, name
        assert np.allclose(conv2d(left_to_right, KERNELS[name]), 0), name
    flat = np.ones((6, 6))
    for name in ("vertical edge", "horizontal edge", "diagonal edge", "sobel x", "sobel y"):
        assert np.allclose(conv2d(flat, KERNELS[name]), 0), f"{name} must give 0 on a flat image"
    for name in ("gaussian blur", "box blur", "sharpen", "identity"):
        if name in KERNELS:
            np.testing.assert_allclose(conv2d(flat, KERNELS[name]), 1.0, err_msg=name)


def test_every_expected_error_is_matched_by_its_message():
    """``pytest.raises`` without ``match=`` passes for any error of that type, even the wrong one."""
    loose = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "raises" and getattr(node.func.value, "id", "") == "pytest"
                    and not any(k.arg == "match" for k in node.keywords)):
                loose.append(f"{path.name}:{node.lineno}")
    assert not loose, f"pytest.raises without match=: {loose}"


def test_benchmarks_time_with_the_shared_timer():
    # A script that runs a notebook in a child process may time it there (a string of code).
    own = [p.name for p in sorted((ROOT / "benchmarks").glob("bench_*.py"))
           if "from _timing import" not in p.read_text()
           or "perf_counter" in p.read_text().split("RUNNER = ")[0]]
    assert not own, f"benchmarks with their own timer (use benchmarks/_timing.py): {own}"


def test_the_okabe_ito_colours_are_typed_once():
    """One palette (cnncourse/figures/palette.py): the other modules import its names, so a colour changes in one place."""
    from cnncourse.figures.palette import OKABE_ITO

    hexes = [c for c in OKABE_ITO if c != "#000000"]
    typed = [f"{path.relative_to(PACKAGE)}: {c}" for path in MODULES if path.name != "palette.py"
             for c in hexes if c.lower() in path.read_text(encoding="utf-8").lower()]
    assert not typed, typed


# A colour given as a value: a whole string "#rgb"/"#rrggbb", or an SVG/HTML attribute ="#...". (The page
# stylesheets of figures/html.py are CSS, where colours sit inside rules; they are not values of a drawing.)
_COLOUR = re.compile(r'^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$|="#[0-9a-fA-F]{3}')
COLOUR_ALLOWED = {"widgets/activations.py": "rewritten by the anywidget helper (issue 25): BEFORE_COLOUR "
                                            "is to import palette.GREY there"}


def _typed_colours(path: Path) -> list[str]:
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _COLOUR.search(node.value)]


def test_every_colour_of_the_drawings_is_named_in_the_palette():
    """chapter_figures, figures and widgets take every colour from figures/palette.py, by name."""
    drawn = [p for p in MODULES if _subpackage(p) in ("chapter_figures", "figures", "widgets")
             and p.name != "palette.py" and str(p.relative_to(PACKAGE)) not in COLOUR_ALLOWED]
    typed = {str(p.relative_to(PACKAGE)): found for p in drawn if (found := _typed_colours(p))}
    assert not typed, f"colours typed outside figures/palette.py (give them a name there): {typed}"


def test_the_colour_test_sees_a_typed_colour(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('a = "#bcd2e8"\nb = f\'<line stroke="#ddd"/>\'\nc = "# 3 rows"\nd = "#cafe and more"\n'
                    'e = f\'<line stroke="{GRID}"/>\'\n')
    assert _typed_colours(path) == ["#bcd2e8", '<line stroke="#ddd"/>']


def _undocumented_parameters(obj) -> list[str]:
    """The parameters of ``obj`` (a function, or a class's constructor) its numpydoc docstring does not name.

    They are named in a "Parameters" section (a record, a NamedTuple or dataclass, may name its fields in
    "Attributes"); ``*args``/``**kwargs`` need only be mentioned somewhere in the docstring.
    """
    if inspect.isclass(obj) and issubclass(obj, BaseException) and "__init__" not in vars(obj):
        return []  # an exception takes its message like any exception
    params = [p for p in inspect.signature(obj).parameters.values() if p.name not in ("self", "cls")]
    doc = inspect.getdoc(obj) or ""
    record = inspect.isclass(obj) and (hasattr(obj, "_fields") or dataclasses.is_dataclass(obj))
    heads = "Parameters|Attributes" if record else "Parameters"
    named: set[str] = set()
    for section in re.findall(rf"^(?:{heads})\n-+\n(.*?)(?=^\S[^\n]*\n-{{3,}}\n|\Z)", doc, re.DOTALL | re.MULTILINE):
        named |= {n.strip() for line in section.splitlines() if line[:1].strip()
                  for n in line.split(" : ")[0].split(",")}
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in params
            if p.name not in named and not (p.kind in variadic and f"*{p.name}" in doc)]


def test_every_public_callable_documents_its_parameters():
    """Issue 24: each public function, method-taking class and record names every parameter in its docstring."""
    missing = {}
    for name in cnncourse._API:
        obj = getattr(cnncourse, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and (gaps := _undocumented_parameters(obj)):
            missing[name] = gaps
    assert not missing, f"parameters missing from the docstrings' Parameters sections: {missing}"


def test_the_parameters_check_sees_a_missing_parameter():
    def documented(image, *, stride=1):
        """Near-miss example.

        Parameters
        ----------
        image : array_like
            The input.
        stride : int, optional
            At least 1.

        Returns
        -------
        int
        """

    def one_missing(image, stride=1, padding=0):
        """Near-miss example.

        Parameters
        ----------
        image, stride : array_like
            The input and the step.

        Examples
        --------
        >>> padding = 0
        """

    assert _undocumented_parameters(documented) == []
    assert _undocumented_parameters(one_missing) == ["padding"]
    assert _undocumented_parameters(lambda x: x) == ["x"]


# -- one API style (issue 24) ------------------------------------------------------------------


def _public_signatures(tree: ast.Module) -> list[tuple[str, list[str], int, int]]:
    """Each public callable of a module: (name, parameters, how many have defaults, how many are positional).

    Public: a module-level function or class whose name has no leading underscore, and a public class's
    ``__init__`` and public methods (``self``/``cls`` left out). A dataclass's fields are its constructor's
    parameters, positional up to a ``KW_ONLY`` marker (none with ``kw_only=True``).
    """
    found = []

    def dataclass_kw_only(node: ast.ClassDef) -> bool | None:
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            if getattr(call.func if call else decorator, "id", None) == "dataclass":
                return any(k.arg == "kw_only" and getattr(k.value, "value", False) for k in (call.keywords if call else []))
        return None

    def visit(body: list[ast.stmt], prefix: str, in_class: bool) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                if dataclass_kw_only(node) is False:
                    fields = []
                    for field in node.body:
                        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
                            if "KW_ONLY" in ast.unparse(field.annotation):
                                break
                            if "ClassVar" not in ast.unparse(field.annotation):
                                fields.append((field.target.id, field.value is not None))
                    found.append((prefix + node.name, [n for n, _ in fields], sum(d for _, d in fields), len(fields)))
                visit(node.body, prefix + node.name + ".", True)
            elif (isinstance(node, ast.FunctionDef) and (not node.name.startswith("_") or node.name == "__init__")
                  and (in_class or node.name != "__init__")):
                positional = node.args.posonlyargs + node.args.args
                if in_class and positional and positional[0].arg in ("self", "cls"):
                    positional = positional[1:]
                names = [a.arg for a in positional + node.args.kwonlyargs]
                found.append((prefix + node.name, names, len(node.args.defaults), len(positional)))

    visit(tree.body, "", False)
    return found


def _signatures(path: Path):
    return _public_signatures(ast.parse(path.read_text(encoding="utf-8")))


# An image's side is `side`. Other names for pixels: `height`/`width` (one of two sides), `length` (along one axis),
# `window` (a square that slides). These names would be a second name for a side:
SIDE_NAMES = {"size", "image_size", "img_size", "tile", "tile_size", "canvas", "canvas_size", "resolution"}
SIDE_ALLOWED = {
    "figures/pictures.py: picture_html(size)": "the (width, height) of a picture in a page, not an image's side",
    "figures/html.py: size_formula(size)": "an input's (height, width) in the output-size formula, not a square",
}


def _second_names_for_a_side(path: Path) -> list[str]:
    rel = str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else path.name
    return [f"{rel}: {name}({param})" for name, params, *_ in _signatures(path) for param in params
            if param in SIDE_NAMES and f"{rel}: {name}({param})" not in SIDE_ALLOWED]


def test_an_image_side_has_one_name():
    """No public callable takes an image's side as `size`, `image_size`, `tile`, ... (the name is `side`)."""
    found = [hit for path in MODULES for hit in _second_names_for_a_side(path)]
    assert not found, f"call an image's side `side` (CONTRIBUTING.md, Names): {found}"


def test_the_side_test_sees_a_second_name(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def a(image, *, side=32): pass\ndef b(image, size=32): pass\ndef _c(size): pass\n"
                    "class D:\n    def __init__(self, image_size=32): pass\n    def e(self, width, height): pass\n"
                    "class _E:\n    def f(self, tile): pass\n")
    assert _second_names_for_a_side(path) == ["m.py: b(size)", "m.py: D.__init__(image_size)"]


# A public callable takes its data positionally and its options by keyword: at most one positional-or-keyword
# parameter has a default, and it is the first or the second (the data's own optional part, as in
# pool2d(image, window=2)); anything else with a default comes after `*`, where no caller can swap two options.
KEYWORD_ALLOWED = {
    "core/validate.py": "checks read (value, name, bounds..., unit) in the order of the message they write, "
                        "e.g. int_between(side, 'side', 32, 1024, 'pixels')",
    "exercises/feedback.py": "a checker's (answer, expected, near): near is a mapping of near misses, "
                             "which no other argument can be mistaken for",
    "nets/vgg_maps.py: feature_maps": "layers is what is computed, as in feature_maps(model, image, ['block1_conv1'])",
    "widgets/convolution.py: ConvolutionExplorer.__init__": "image and kernel are the data (each with an example "
                                                            "by default), in conv2d's order",
    "widgets/training.py: TrainingExplorer.__init__": "labels are data, the images' own (optional)",
    "widgets/draw.py: DrawExplorer.__init__": "images and labels are data, a pair (the examples' own), "
                                              "as in DrawExplorer(model, split.val_images, split.val_labels)",
}


def _options_not_keyword_only(path: Path) -> list[str]:
    rel = str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else path.name
    return [f"{rel}: {name}" for name, _, defaults, positional in _signatures(path)
            if (defaults >= 2 or (defaults and positional - defaults >= 2))
            and rel not in KEYWORD_ALLOWED and f"{rel}: {name}" not in KEYWORD_ALLOWED]


def test_options_are_keyword_only():
    found = [hit for path in MODULES for hit in _options_not_keyword_only(path)]
    assert not found, f"make these options keyword-only (after `*`), or explain in KEYWORD_ALLOWED: {found}"


def test_the_keyword_test_sees_a_positional_option(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        "from dataclasses import KW_ONLY, dataclass\n"
        "def pool(image, window=2, *, stride=None): pass\n"          # one option, second: fine
        "def shape(layer, height=224, width=None): pass\n"           # two options that can be swapped
        "def neuron(layer, index, y=None): pass\n"                   # an option after the data
        "def neuron2(layer, index, *, y=None, x=None): pass\n"       # fine
        "@dataclass\nclass Space:\n    low: float\n    high: float\n    mean: float = 0.0\n    std: float = 1.0\n"
        "@dataclass\nclass Fine:\n    low: float\n    _: KW_ONLY\n    mean: float = 0.0\n    std: float = 1.0\n"
        "@dataclass(kw_only=True)\nclass Record:\n    a: int = 0\n    b: int = 0\n")
    assert _options_not_keyword_only(path) == ["m.py: shape", "m.py: neuron", "m.py: Space"]
