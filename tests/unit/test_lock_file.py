"""What runs is what is locked: every dependency in pyproject.toml is pinned, with hashes, in requirements.lock,
and the versions installed here are the locked ones (so an audit of the lock file checks what runs)."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def locked() -> dict[str, tuple[str, int]]:
    """name -> (pinned version, number of hashes)."""
    text = (ROOT / 'requirements.lock').read_text()
    pins = {}
    for block in re.split(r'\n(?=\S)', text):
        match = re.match(r'([A-Za-z0-9_.\-]+)==([^\s\\;]+)', block)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], block.count('--hash=sha256:'))
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    extras = project['optional-dependencies']
    return [Requirement(line) for line in [*project['dependencies'], *extras['test'], *extras['bench']]]


def test_every_declared_dependency_is_pinned_with_hashes_in_a_version_it_allows():
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f'{requirement.name} is not in requirements.lock: regenerate it (see README)'
        pinned, hashes = pins[name]
        assert requirement.specifier.contains(pinned, prereleases=True), f'{name}=={pinned} breaks {requirement}'
        assert hashes >= 1, f'{name} has no hash in requirements.lock'


def test_the_installed_versions_are_the_locked_ones():
    different = {}
    for name, (pinned, _) in locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # only for another platform or Python
        if installed != pinned:
            different[name] = (installed, pinned)
    assert different == {}, f'installed differs from requirements.lock (installed, locked): {different}'
