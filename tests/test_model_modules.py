"""model/modules.py: the one place dotted module names become files (engine, imports, model)."""

from __future__ import annotations

import os
from pathlib import Path

from scopecheck.model.modules import (
    ModuleIndex,
    find_module_file,
    find_on_path,
    module_files,
    module_name,
    package_dir,
)
from tests.helpers import write_tree


def test_module_name_is_dotted_from_the_root_and_a_package_is_its_folder(tmp_path: Path) -> None:
    root = str(tmp_path)
    assert module_name(os.path.join(root, "tests", "test_a.py"), root) == "tests.test_a"
    assert module_name(os.path.join(root, "pkg", "__init__.py"), root) == "pkg"
    assert module_name(os.path.join(root, "conftest.py"), root) == "conftest"
    assert module_name(os.path.join(root, "pkg", "data"), root) == "pkg.data"


def test_module_files_are_the_module_then_the_package(tmp_path: Path) -> None:
    base = str(tmp_path)
    assert module_files(base, ["a", "b"]) == (
        os.path.join(base, "a", "b.py"),
        os.path.join(base, "a", "b", "__init__.py"),
    )
    # ``from . import x``: no parts, the folder itself
    assert module_files(base, []) == (base + ".py", os.path.join(base, "__init__.py"))


def test_find_module_file_prefers_the_module_and_uses_the_probe_given(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/b.py": "", "a/b/__init__.py": "", "c/__init__.py": ""})
    base = str(tmp_path)
    assert find_module_file(base, ["a", "b"]) == os.path.join(base, "a", "b.py")
    assert find_module_file(base, ["c"]) == os.path.join(base, "c", "__init__.py")
    assert find_module_file(base, ["d"]) is None
    probed: list[str] = []

    def never(path: str) -> bool:
        probed.append(path)
        return False

    assert find_module_file(base, ["a", "b"], never) is None
    assert probed == list(module_files(base, ["a", "b"]))


def test_package_dir_climbs_one_folder_per_extra_dot() -> None:
    importer = os.path.join(os.sep, "p", "pkg", "sub", "mod.py")
    assert package_dir(importer, 1) == os.path.join(os.sep, "p", "pkg", "sub")
    assert package_dir(importer, 2) == os.path.join(os.sep, "p", "pkg")
    assert package_dir(importer, 3) == os.path.join(os.sep, "p")


def test_find_on_path_tries_root_then_src_then_folders_up_from_the_importer(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "helpers.py": "",
            "src/lib/__init__.py": "",
            "tests/unit/fixtures_mod.py": "",
            "tests/unit/test_a.py": "",
            "tests/shared.py": "",
            "src/helpers.py": "",
        },
    )
    root = str(tmp_path)
    importer = os.path.join(root, "tests", "unit", "test_a.py")
    assert find_on_path("helpers", importer, root) == os.path.join(root, "helpers.py")  # root before src
    assert find_on_path("lib", importer, root) == os.path.join(root, "src", "lib", "__init__.py")
    assert find_on_path("fixtures_mod", importer, root) == os.path.join(root, "tests", "unit", "fixtures_mod.py")
    assert find_on_path("shared", importer, root) == os.path.join(root, "tests", "shared.py")
    assert find_on_path("tests.shared", importer, root) == os.path.join(root, "tests", "shared.py")
    assert find_on_path("nowhere", importer, root) is None


def test_module_index_finds_exact_relative_and_suffix_names(tmp_path: Path) -> None:
    root = str(tmp_path)
    paths = [
        os.path.join(root, *p)
        for p in (
            ("conftest.py",),
            ("tests", "plugins", "aws.py"),
            ("tests", "unit", "plugins", "aws.py"),
            ("tests", "unit", "test_a.py"),
            ("pkg", "__init__.py"),
            ("pkg", "mod.py"),
        )
    ]
    index = ModuleIndex(paths, root)
    assert index.name_of(paths[1]) == "tests.plugins.aws"
    assert index.find("tests.plugins.aws") == paths[1]
    assert index.find("pkg") == paths[4]
    # a name found under some folder on the way: the match nearest the root wins
    assert index.find("plugins.aws") == paths[1]
    assert index.find("aws") == paths[1]
    assert index.find("unit.plugins.aws") == paths[2]
    # relative to the importer's package
    assert index.find("plugins.aws", 1, paths[3]) == paths[2]
    assert index.find("mod", 1, paths[5]) == paths[5]
    assert index.find("", 1, paths[5]) == paths[4]
    assert index.find("test_a", 2, paths[3]) is None
    assert index.find("missing") is None
    assert index.find("missing") is None  # memoised misses stay misses
