"""Build the optional C accelerator, websockets_impl.speedups.

The project metadata lives in pyproject.toml beside this file; this file only declares the
extension.

``BUILD_EXTENSION`` selects what happens to it:

- unset or empty: built if possible; when compiling fails, setuptools prints a warning and
  the package installs without it (``websockets_impl.utils`` falls back to pure Python);
- ``yes``: required, a compiler error fails the build;
- ``no``: not built at all.
"""

from __future__ import annotations

import os
import sysconfig

from setuptools import Extension, setup

CHOICES = {"": None, "yes": True, "no": False}

setting = os.environ.get("BUILD_EXTENSION", "").strip().lower()
if setting not in CHOICES:
    raise SystemExit(f"BUILD_EXTENSION must be 'yes', 'no' or unset, not {setting!r}")
required = CHOICES[setting]

# The stable ABI (one binary for every CPython from 3.11 up) isn't available on
# free-threaded builds; there the extension is compiled against the full API.
limited_api = not sysconfig.get_config_var("Py_GIL_DISABLED")

ext_modules = []
options = {}
if required is not False:
    ext_modules.append(
        Extension(
            "websockets_impl.speedups",
            ["websockets_impl/speedups.c"],
            optional=required is None,
            py_limited_api=limited_api,
            define_macros=[("Py_LIMITED_API", "0x030B0000")] if limited_api else [],
        )
    )
    if limited_api:
        options["bdist_wheel"] = {"py_limited_api": "cp311"}

setup(ext_modules=ext_modules, options=options)
