"""The MSI that ``installers/windows/make_msi.py`` builds with wixl, read back with msiinfo.

A small stand-in bundle folder is packaged (``installers/ci-check`` builds the MSI of
the real Linux onedir; the Windows workflow installs the one of the Windows bundle).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from groupdesk.core.policy_schema import key_type
from groupdesk.core.policy_sources import RECOMMENDED, REGISTRY_KEY

ROOT = Path(__file__).resolve().parents[2]
MAKE_MSI = ROOT / "installers" / "windows" / "make_msi.py"
UPGRADE_CODE = "{7BF420DC-8EDD-4584-8D0B-5BE715D09F54}"  # never changes: upgrades find it
PUBLIC = {"SERVER_URL": "server_url", "LANGUAGE": "language", "UPDATE_CHECK": "update_check"}

pytestmark = pytest.mark.skipif(
    shutil.which("wixl") is None or shutil.which("msiinfo") is None,
    reason="needs wixl and msitools (scripts/setup.sh --test installs them)",
)


def _bundle(tmp_path: Path) -> tuple[Path, list[str]]:
    bundle = tmp_path / "bundle"
    files = {
        "groupdesk.exe": b"MZ\x90\x00stand-in",
        "LICENSE": b"GPL-3.0-or-later\n",
        "THIRD_PARTY_LICENSES.txt": b"components\n",
        "_internal/python311.dll": b"MZ",
        "_internal/PySide6/Qt6Core.dll": b"MZ",
        "_internal/PySide6/plugins/platforms/qwindows.dll": b"MZ",
        "_internal/groupdesk/i18n/groupdesk_fr_CA.qm": b"qm",
        "_internal/av.libs/avcodec-61 copy.dll": b"MZ",  # a space in a name
    }
    for name, data in files.items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(data)
    return bundle, sorted(files)


def _make_msi(bundle: Path, out: Path, env: dict[str, str] | None = None) -> Path:
    done = subprocess.run(
        ["python3", str(MAKE_MSI), str(bundle), "1.2.3", str(out)],
        check=False, capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    msi = Path(done.stdout.strip())
    assert msi == out / "groupdesk-1.2.3-x64.msi"
    assert msi.is_file()
    return msi


def _table(msi: Path, name: str) -> list[dict[str, str]]:
    text = subprocess.run(
        ["msiinfo", "export", str(msi), name],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    lines = text.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    tmp = tmp_path_factory.mktemp("msi")
    bundle, files = _bundle(tmp)
    return _make_msi(bundle, tmp / "out"), files


def test_the_msi_installs_per_machine_into_program_files_and_upgrades_earlier_versions(
    built: tuple[Path, list[str]],
) -> None:
    msi, _ = built
    props = {row["Property"]: row["Value"] for row in _table(msi, "Property")}
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ProductVersion"] == "1.2.3"
    dirs = {row["Directory"]: row for row in _table(msi, "Directory")}
    assert dirs["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert dirs["INSTALLDIR"]["DefaultDir"] == "GroupDesk"
    summary = subprocess.run(
        ["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "Template: x64;1033" in summary  # a 64-bit package, or Windows refuses the x64 parts
    # Every component is a 64-bit one (msidbComponentAttributes64bit): the 64-bit registry view
    assert all(int(row["Attributes"]) & 256 for row in _table(msi, "Component"))
    # Major upgrade: any earlier version of the same UpgradeCode is found and removed,
    # a newer one stops the install.
    upgrade = _table(msi, "Upgrade")
    assert {row["UpgradeCode"] for row in upgrade} == {UPGRADE_CODE}
    older = next(row for row in upgrade if row["ActionProperty"] == "WIX_UPGRADE_DETECTED")
    assert older["VersionMax"] == "1.2.3"
    assert older["VersionMin"] == ""
    newer = next(row for row in upgrade if row["ActionProperty"] == "WIX_DOWNGRADE_DETECTED")
    assert newer["VersionMin"] == "1.2.3"
    actions = {row["Action"] for row in _table(msi, "InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts"} <= actions


def test_the_silent_install_properties_are_secure_and_become_recommended_policy_values(
    built: tuple[Path, list[str]],
) -> None:
    msi, _ = built
    props = {row["Property"]: row["Value"] for row in _table(msi, "Property")}
    secure = props["SecureCustomProperties"].split(";")
    assert set(PUBLIC) <= set(secure)  # passed from msiexec /qn to the elevated install
    conditions = {row["Component"]: row["Condition"] for row in _table(msi, "Component")}
    registry = {row["Name"]: row for row in _table(msi, "Registry")}
    for prop, key in PUBLIC.items():
        row = registry[key]
        assert row["Root"] == "2"  # HKEY_LOCAL_MACHINE
        assert row["Key"] == f"{REGISTRY_KEY}\\{RECOMMENDED}"
        # typed as core/policy_sources.py reads them: REG_DWORD ("#...") for booleans
        # and integers, REG_SZ for strings
        expected = f"#[{prop}]" if key_type(key) in ("boolean", "integer") else f"[{prop}]"
        assert row["Value"] == expected
        # written only when given on the command line: nothing otherwise
        assert conditions[row["Component_"]] == prop


def test_the_msi_carries_every_bundle_file_the_licences_the_templates_and_a_start_menu_entry(
    built: tuple[Path, list[str]],
) -> None:
    msi, files = built
    file_rows = _table(msi, "File")
    names = [row["FileName"] for row in file_rows]
    templates = ["groupdesk.admx", "groupdesk.adml", "groupdesk.adml"]
    assert len(file_rows) == len(files) + len(templates)
    assert sorted(names) == sorted([f.rsplit("/", 1)[-1] for f in files] + templates)
    assert {"LICENSE", "THIRD_PARTY_LICENSES.txt", "avcodec-61 copy.dll"} <= set(names)
    dirs = {row["Directory"]: row for row in _table(msi, "Directory")}
    components = {row["Component"]: row for row in _table(msi, "Component")}

    def path_of(directory: str) -> str:
        parts = []
        while directory != "INSTALLDIR":
            parts.append(dirs[directory]["DefaultDir"])
            directory = dirs[directory]["Directory_Parent"]
        return "\\".join(reversed(parts))

    placed = {
        (path_of(components[row["Component_"]]["Directory_"]), row["FileName"]) for row in file_rows
    }
    assert ("docs\\policy", "groupdesk.admx") in placed
    assert ("docs\\policy\\fr-CA", "groupdesk.adml") in placed
    assert ("docs\\policy\\en-US", "groupdesk.adml") in placed
    assert ("_internal\\PySide6\\plugins\\platforms", "qwindows.dll") in placed
    shortcut = _table(msi, "Shortcut")
    assert len(shortcut) == 1
    assert shortcut[0]["Directory_"] == "ProgramMenuFolder"
    assert shortcut[0]["Name"] == "GroupDesk"
    assert shortcut[0]["Target"] == "[INSTALLDIR]groupdesk.exe"


def test_a_bundle_without_its_licences_gives_no_msi(tmp_path: Path) -> None:
    bundle, _ = _bundle(tmp_path)
    (bundle / "THIRD_PARTY_LICENSES.txt").unlink()
    done = subprocess.run(
        ["python3", str(MAKE_MSI), str(bundle), "1.2.3", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "has no THIRD_PARTY_LICENSES.txt" in done.stderr
    assert not (tmp_path / "out" / "groupdesk-1.2.3-x64.msi").exists()


@pytest.mark.skipif(
    shutil.which("osslsigncode") is None or shutil.which("openssl") is None,
    reason="needs osslsigncode and openssl (scripts/setup.sh --test installs them)",
)
def test_with_a_certificate_configured_the_msi_is_signed_and_verifies(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=GroupDesk test signer", "-addext", "extendedKeyUsage=codeSigning",
         "-keyout", str(key), "-out", str(cert)],
        capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    bundle, _ = _bundle(tmp_path)
    unsigned = _make_msi(bundle, tmp_path / "plain")
    env = {"GROUPDESK_SIGN_CERT": str(cert), "GROUPDESK_SIGN_KEY": str(key)}
    signed = _make_msi(bundle, tmp_path / "signed", env)

    def verify(msi: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["osslsigncode", "verify", "-CAfile", str(cert), "-in", str(msi)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    checked = verify(signed)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Signature verification: ok" in checked.stdout
    assert "GroupDesk test signer" in checked.stdout
    assert verify(unsigned).returncode != 0  # no signature at all without a certificate
    # still the same installer: signing adds a signature and changes no table
    assert json.dumps(_table(signed, "File")) == json.dumps(_table(unsigned, "File"))
