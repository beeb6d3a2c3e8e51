"""THIRD_PARTY_LICENSES.txt: every component a GroupDesk bundle carries, and its licence.

Two parts, both found from what is really shipped, not from a hand-kept list:
- the Python distributions whose modules PyInstaller collected (``bundled_distributions``:
  module names -> the installed distribution that owns them), each with its version,
  its declared licence and the full text of the licence files it ships;
- the native libraries in the bundle folder (FFmpeg and its codecs from PyAV's wheel,
  Qt and its FFmpeg from PySide6's, OpenSSL, libpython, ...), matched against
  ``NATIVE``; a library that nothing there names is an error (``UnknownLibraryError``),
  so no bundle ships a library whose licence nobody looked at.

The spec calls ``write_bundle_licences`` after PyInstaller collected the folder;
``python installers/third_party.py --check BUNDLE`` re-reads a bundle's file and
exits 1 when a distribution in the build environment that the bundle carries is
missing from it (CI runs it).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = Path(__file__).resolve().parent / "licenses"
FILE_NAME = "THIRD_PARTY_LICENSES.txt"
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)
_SHARED_LIBRARY = re.compile(r"\.(so(\.[0-9.]+)?|dll|dylib)$")


@dataclass(frozen=True, slots=True)
class Native:
    """A native library family: file name pattern, what it is, its licence."""

    pattern: str
    component: str
    licence: str
    source: str


#: Every native library a bundle may carry. Patterns match the file name (PyAV's wheel
#: renames its libraries ``libname-<hash>.so.N``). The licence is of the library as
#: built in the wheel that ships it.
NATIVE: tuple[Native, ...] = (
    Native(
        r"^groupdesk(\.exe)?$",
        "PyInstaller bootloader (the groupdesk executable)",
        "GPL-2.0-or-later WITH Bootloader-exception",
        "https://pyinstaller.org",
    ),
    Native(r"^libpython3", "CPython", "PSF-2.0", "https://www.python.org"),
    Native(
        r"^lib(avcodec|avformat|avutil|avfilter|avdevice|swscale|swresample)-[0-9a-f]{8}\.",
        "FFmpeg (PyAV's build: --enable-version3, linked with libx264 and libx265)",
        "LGPL-3.0-or-later; with x264/x265 the combination is GPL-3.0-or-later",
        "https://ffmpeg.org (built by https://github.com/PyAV-Org/pyav-ffmpeg)",
    ),
    Native(
        r"^libx264-",
        "x264 (H.264 encoder)",
        "GPL-2.0-or-later",
        "https://www.videolan.org/developers/x264.html",
    ),
    Native(r"^libx265-", "x265 (HEVC encoder)", "GPL-2.0-or-later", "https://www.x265.org"),
    Native(
        r"^libvpx-",
        "libvpx (VP8/VP9)",
        "BSD-3-Clause",
        "https://chromium.googlesource.com/webm/libvpx",
    ),
    Native(r"^libopus", "Opus", "BSD-3-Clause", "https://opus-codec.org"),
    Native(
        r"^libdav1d-",
        "dav1d (AV1 decoder)",
        "BSD-2-Clause",
        "https://code.videolan.org/videolan/dav1d",
    ),
    Native(
        r"^libSvtAv1Enc-",
        "SVT-AV1",
        "BSD-3-Clause-Clear",
        "https://gitlab.com/AOMediaCodec/SVT-AV1",
    ),
    Native(r"^libmp3lame", "LAME", "LGPL-2.0-or-later", "https://lame.sourceforge.io"),
    Native(
        r"^libopencore-amr(nb|wb)-",
        "OpenCORE AMR",
        "Apache-2.0",
        "https://opencore-amr.sourceforge.io",
    ),
    Native(
        r"^lib(webp|webpmux|sharpyuv)-",
        "libwebp",
        "BSD-3-Clause",
        "https://chromium.googlesource.com/webm/libwebp",
    ),
    Native(r"^libgnutls-", "GnuTLS", "LGPL-2.1-or-later", "https://gnutls.org"),
    Native(
        r"^lib(nettle|hogweed)-",
        "Nettle",
        "LGPL-3.0-or-later OR GPL-2.0-or-later",
        "https://www.lysator.liu.se/~nisse/nettle/",
    ),
    Native(r"^libgmp-", "GMP", "LGPL-3.0-or-later OR GPL-2.0-or-later", "https://gmplib.org"),
    Native(
        r"^libunistring-",
        "libunistring",
        "LGPL-3.0-or-later OR GPL-2.0-or-later",
        "https://www.gnu.org/software/libunistring/",
    ),
    Native(r"^libvpl-", "Intel oneVPL dispatcher", "MIT", "https://github.com/intel/libvpl"),
    Native(r"^libdrm", "libdrm", "MIT", "https://gitlab.freedesktop.org/mesa/drm"),
    Native(r"^libasound", "ALSA library", "LGPL-2.1-or-later", "https://www.alsa-project.org"),
    Native(
        r"^lib(xcb|Xau|X11|Xext|Xrender|Xdmcp|xkbcommon|Xcomposite|Xcursor|Xdamage|Xfixes|Xi\.|Xinerama|Xrandr)",
        "X.Org client libraries (libxcb, libXau, ...)",
        "MIT",
        "https://www.x.org",
    ),
    Native(
        r"^libQt6|^libpyside6|^libshiboken6",
        "Qt 6 and PySide6 (dynamically linked, replaceable)",
        "LGPL-3.0-only",
        "https://www.qt.io, https://code.qt.io/cgit/pyside/pyside-setup.git",
    ),
    Native(
        r"^lib(avcodec|avformat|avutil|swscale|swresample)\.so\.\d+$",
        "FFmpeg (Qt Multimedia's build, in PySide6)",
        "LGPL-2.1-or-later",
        "https://ffmpeg.org",
    ),
    Native(r"^libicu", "ICU", "Unicode-3.0", "https://icu.unicode.org"),
    Native(r"^lib(ssl|crypto)", "OpenSSL", "Apache-2.0", "https://www.openssl.org"),
    Native(
        r"^libcrc32c-", "crc32c (google-crc32c)", "Apache-2.0", "https://github.com/google/crc32c"
    ),
    Native(r"^libffi", "libffi", "MIT", "https://sourceware.org/libffi/"),
    Native(
        r"^libz\.|^libzstd|^libbz2|^liblzma|^libexpat|^libsqlite3|^libmpdec|^libb2",
        "libraries CPython links (zlib, zstd, bzip2, xz, expat, SQLite, mpdecimal)",
        "Zlib / BSD-3-Clause / bzip2-1.0.6 / 0BSD / MIT / blessing / BSD-2-Clause",
        "as each project says",
    ),
    Native(
        r"^lib(uuid|tinfo|ncurses|readline|gdbm|nsl|tirpc)",
        "system libraries CPython links (uuid, ncurses, readline)",
        "BSD-3-Clause / X11 / GPL-3.0-or-later (readline)",
        "the operating system's packages",
    ),
    Native(
        r"^lib(pulse|pulsecommon|asyncns|sndfile|mpg123)",
        "PulseAudio client and libsndfile, mpg123",
        "LGPL-2.1-or-later",
        "https://www.freedesktop.org/wiki/Software/PulseAudio/",
    ),
    Native(
        r"^lib(FLAC|ogg|vorbis|vorbisenc)\.",
        "FLAC, Ogg, Vorbis",
        "BSD-3-Clause",
        "https://xiph.org",
    ),
    Native(
        r"^lib(systemd|gcrypt|gpg-error|mount|blkid|selinux|cap|lz4|bsd|md)\.",
        "system libraries PulseAudio and GLib link (systemd, libgcrypt, util-linux, ...)",
        "LGPL-2.1-or-later / BSD-3-Clause / BSD-2-Clause / public domain (libselinux)",
        "the operating system's packages",
    ),
    Native(
        r"^lib(gssapi_krb5|krb5|k5crypto|krb5support|com_err|keyutils)\.",
        "MIT Kerberos",
        "MIT / LGPL-2.1-or-later (keyutils)",
        "https://web.mit.edu/kerberos/",
    ),
    Native(
        r"^lib(stdc\+\+|gcc_s)\.",
        "GCC runtime libraries",
        "GPL-3.0-or-later WITH GCC-exception-3.1",
        "https://gcc.gnu.org",
    ),
    Native(
        r"^libmvec\.",
        "GNU C Library (vector math)",
        "LGPL-2.1-or-later",
        "https://www.gnu.org/software/libc/",
    ),
    Native(
        r"^libjpeg\.", "libjpeg-turbo", "IJG AND BSD-3-Clause AND Zlib", "https://libjpeg-turbo.org"
    ),
    Native(
        r"^lib(glib|gobject|gthread|gmodule|gio)-2",
        "GLib",
        "LGPL-2.1-or-later",
        "https://gitlab.gnome.org/GNOME/glib",
    ),
    Native(
        r"^lib(dbus-1|fontconfig|freetype|png16|harfbuzz|brotli|graphite2|pcre2|EGL|GL|GLX|GLdispatch|OpenGL)",
        "system graphics and D-Bus libraries Qt links",
        "MIT / FTL / Zlib / BSD-3-Clause / AFL-2.1 OR GPL-2.0-or-later",
        "the operating system's packages",
    ),
)

#: Components compiled into a Python extension (no file of their own in the bundle).
STATIC: tuple[tuple[str, str, str, str], ...] = (
    (
        "sqlcipher3",
        "SQLCipher Community Edition (with SQLite) and OpenSSL 3",
        "BSD-3-Clause (SQLCipher), public domain (SQLite), Apache-2.0 (OpenSSL)",
        "https://www.zetetic.net/sqlcipher/",
    ),
    (
        "pylibsrtp",
        "libsrtp 2 and OpenSSL 3",
        "BSD-3-Clause (libsrtp), Apache-2.0 (OpenSSL)",
        "https://github.com/cisco/libsrtp",
    ),
    ("cryptography", "OpenSSL 3 (statically linked)", "Apache-2.0", "https://www.openssl.org"),
)

#: Licence texts included once at the end, by the identifiers above.
STANDARD_TEXTS = ("GPL-3.0", "GPL-2.0", "LGPL-3.0", "LGPL-2.1", "Apache-2.0")


class UnknownLibraryError(Exception):
    """A native library in the bundle that ``NATIVE`` does not name."""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_distributions(modules: Iterable[str]) -> list[metadata.Distribution]:
    """The installed distributions that own any of ``modules`` (dotted names or paths)."""
    owners = metadata.packages_distributions()
    found: dict[str, metadata.Distribution] = {}
    for module in modules:
        top = re.split(r"[./\\]", module, maxsplit=1)[0]
        for name in owners.get(top, ()):
            if _canonical(name) == "groupdesk":
                continue  # GroupDesk's own licence is LICENSE, beside this file
            dist = metadata.distribution(name)
            found.setdefault(_canonical(dist.metadata["Name"]), dist)
    return [found[k] for k in sorted(found)]


def declared_licence(dist: metadata.Distribution) -> str:
    """The SPDX expression, else the License field, else the trove classifiers."""
    meta = dist.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) < 100:
        return field
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return ", ".join(classifiers) or "see the licence text below"


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) of each licence file the distribution installed."""
    texts = []
    for file in dist.files or []:
        path = str(file)
        if ".dist-info/" in path and _LICENCE_FILE.search(path) and not path.endswith(".pyc"):
            located = Path(str(dist.locate_file(file)))
            if located.is_file():
                texts.append(
                    (path.split(".dist-info/", 1)[1], located.read_text("utf-8", errors="replace"))
                )
    return texts


def native_libraries(bundle: Path) -> list[tuple[str, Native]]:
    """Each shared library in ``bundle`` with the entry that names it."""
    found = []
    unknown = []
    for path in sorted(bundle.rglob("*")):
        name = path.name
        if (
            path.is_symlink()
            or not path.is_file()
            or not (_SHARED_LIBRARY.search(name) or path.parent == bundle)
        ):
            continue
        if ".cpython-" in name or name.endswith(".pyd") or name.endswith(".abi3.so"):
            continue  # Python extensions belong to their distribution
        if path.parent == bundle and not _SHARED_LIBRARY.search(name) and name != "groupdesk":
            continue  # the licence files themselves
        entry = next((n for n in NATIVE if re.search(n.pattern, name)), None)
        if entry is None:
            if "plugins" in path.parts:  # Qt plugins are Qt's
                entry = next(n for n in NATIVE if n.component.startswith("Qt 6"))
            else:
                unknown.append(str(path.relative_to(bundle)))
                continue
        found.append((str(path.relative_to(bundle)), entry))
    if unknown:
        raise UnknownLibraryError("no licence known for: " + ", ".join(unknown))
    return found


def render(dists: list[metadata.Distribution], natives: list[tuple[str, Native]]) -> str:
    """The whole THIRD_PARTY_LICENSES.txt."""
    out = [
        "GroupDesk: third-party components and their licences",
        "=" * 53,
        "",
        "GroupDesk itself is free software under the GNU General Public License, version 3",
        "or (at your option) any later version (LICENSE). This bundle also carries the",
        "components below. FFmpeg in PyAV's build links x264 and x265 (GPL-2.0-or-later),",
        "so the bundle as a whole is distributed under GPL-3.0-or-later. Qt and PySide6",
        "(LGPL-3.0) are separate shared libraries in this folder: you may replace them",
        "with your own build of the same version. The source of each component is at the",
        "address given; GroupDesk's own source, with the lock file of the exact versions",
        "(installers/requirements.lock), is available from whoever gave you this bundle.",
        "",
        "Python distributions",
        "--------------------",
    ]
    for dist in dists:
        out.append(f"{dist.metadata['Name']} {dist.version}: {declared_licence(dist)}")
    out += ["", "Native libraries", "----------------"]
    by_component: dict[str, tuple[Native, list[str]]] = {}
    for path, entry in natives:
        by_component.setdefault(entry.component, (entry, []))[1].append(path)
    for component, (entry, paths) in sorted(by_component.items()):
        out.append(f"{component}: {entry.licence} ({entry.source})")
        shown = paths if len(paths) <= 8 else [*paths[:8], f"... and {len(paths) - 8} more"]
        out += [f"    {p}" for p in shown]
    out += ["", "Compiled into Python extensions", "-------------------------------"]
    owners = {_canonical(d.metadata["Name"]) for d in dists}
    for owner, component, licence, source in STATIC:
        if owner in owners:
            out.append(f"{component}, in {owner}: {licence} ({source})")
    for dist in dists:
        texts = licence_texts(dist)
        out += ["", "=" * 78, f"{dist.metadata['Name']} {dist.version}", "=" * 78]
        if not texts:
            out.append(f"Licence: {declared_licence(dist)} (full text at the end of this file)")
        for name, text in texts:
            out += [f"--- {name}", text.rstrip()]
    for ident in STANDARD_TEXTS:
        out += [
            "",
            "=" * 78,
            f"Full text: {ident}",
            "=" * 78,
            (TEXTS / f"{ident}.txt").read_text("utf-8").rstrip(),
        ]
    return "\n".join(out) + "\n"


def write_bundle_licences(bundle: Path, modules: Iterable[str]) -> Path:
    """Write THIRD_PARTY_LICENSES.txt and LICENSE into the bundle folder."""
    target = bundle / FILE_NAME
    target.write_text(render(bundled_distributions(modules), native_libraries(bundle)), "utf-8")
    shutil.copyfile(ROOT / "LICENSE", bundle / "LICENSE")
    return target


def missing_from(text: str, dists: Iterable[metadata.Distribution]) -> list[str]:
    """The distributions (``Name version``) that ``text`` does not list."""
    return [
        f"{d.metadata['Name']} {d.version}"
        for d in dists
        if f"\n{d.metadata['Name']} {d.version}: " not in text
    ]


def main(argv: list[str]) -> int:
    """``--check BUNDLE``: the bundle's file lists every distribution whose files it holds."""
    if len(argv) != 2 or argv[0] != "--check":
        print("usage: third_party.py --check BUNDLE_DIR", file=sys.stderr)
        return 2
    bundle = Path(argv[1])
    text = (bundle / FILE_NAME).read_text("utf-8")
    internal = bundle / "_internal"
    carried = [p.name for p in internal.iterdir()] + _archived_modules(bundle)
    missing = missing_from(text, bundled_distributions(carried))
    if missing:
        print(f"{bundle / FILE_NAME} does not list: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"{bundle / FILE_NAME} lists every bundled distribution")
    return 0


def _archived_modules(bundle: Path) -> list[str]:
    """The Python modules inside the executable's PYZ archive (PyInstaller's reader)."""
    from PyInstaller.archive.readers import CArchiveReader

    exe = next(p for p in (bundle / "groupdesk", bundle / "groupdesk.exe") if p.exists())
    archive = CArchiveReader(str(exe))
    modules: list[str] = []
    for name in archive.toc:
        if name.startswith("PYZ") and name.endswith(".pyz"):
            modules += list(archive.open_embedded_archive(name).toc)
    return modules


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
