#!/usr/bin/env python3
"""The module layering of README "Module map", checked on every #include of src/ and include/.

Usage: check_includes.py SOURCE_DIR

A module may include its own headers (olmd/<m>/..., <m>/... private), the public
headers of the modules below it that it is allowed to use, and only the third-party
headers confined to it. The build enforces the olmd/ part too (each module sees only
the include trees of the modules it links); this check also covers third-party headers,
which live in /usr/include where every module could reach them. Exit 1 lists every
violation as file:line.
"""
import os
import re
import sys

# Each module and the modules it may include (bottom to top).
ALLOWED = {
    "core": set(),
    "domain": {"core"},
    "config": {"core", "domain"},
    "http": {"core"},
    "schedule": {"core", "config"},
    "store": {"core", "domain", "config"},
    "gateway": {"core", "domain", "config", "http", "store"},
    "geoip": {"core", "domain", "config", "http"},
    "mail": {"core", "domain", "config", "http"},
    "jobs": {"core", "domain", "config"},
    "pipeline": {"core", "domain", "config", "store", "jobs"},
    "monitor": {"core", "domain", "config", "store", "jobs", "mail", "pipeline"},
    "metrics": {"core", "domain", "config", "store", "jobs", "pipeline"},
    "daemon": {"core", "domain", "config", "schedule", "store", "gateway", "geoip", "mail", "jobs", "pipeline",
               "monitor", "metrics"},
    "cli": {"core", "domain", "config", "schedule", "store", "gateway", "geoip", "mail", "jobs", "pipeline",
            "monitor", "metrics", "daemon"},
    "main": {"cli"},
}
# Third-party headers and the only module that may include them.
CONFINED = [
    (re.compile(r"^(SQLiteCpp/|sqlite3\.h$)"), "store"),
    # PostgreSQL (PG-1): libpqxx and libpq, in src/store/ only (never a public header, see below).
    (re.compile(r"^(pqxx/|libpq-fe\.h$|libpq-events\.h$|libpq/|pg_config[a-z_]*\.h$|postgres_ext\.h$)"), "store"),
    (re.compile(r"^curl/"), "http"),
    (re.compile(r"^toml\+\+/"), "config"),
    (re.compile(r"^maxminddb\.h$"), "geoip"),
    (re.compile(r"^systemd/"), "daemon"),
    (re.compile(r"^cxxopts\.hpp$"), "cli"),
]
# Third-party headers no public header may include: the store's users never see a database library type.
PUBLIC_FORBIDDEN = re.compile(r"^(SQLiteCpp/|sqlite3\.h$|pqxx/|libpq-fe\.h$|libpq-events\.h$|libpq/)")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def module_of(root, path):
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == "src":
        return "main" if len(rel) == 2 else rel[1]
    return rel[2]  # include/olmd/<module>/...


def main():
    root = sys.argv[1]
    modules = set(ALLOWED) - {"main"}
    bad = []
    seen = 0
    for top in ("src", os.path.join("include", "olmd")):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                mod = module_of(root, path)
                if mod not in ALLOWED:
                    bad.append(f"{path}: folder {mod} is no module of the layering")
                    continue
                with open(path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        seen += 1
                        inc = m.group(1)
                        parts = inc.split("/")
                        if parts[0] == "olmd" and len(parts) > 2:
                            target = parts[1]
                            if target != mod and target not in ALLOWED[mod]:
                                bad.append(f"{path}:{n}: {mod} includes {inc} ({target} is not below it)")
                        elif parts[0] in modules and len(parts) > 1 and parts[0] != mod:
                            bad.append(f"{path}:{n}: {mod} includes {inc}, a private header of {parts[0]}")
                        for pattern, owner in CONFINED:
                            if pattern.search(inc) and mod != owner:
                                bad.append(f"{path}:{n}: {mod} includes {inc}, which only {owner} may")
                        if top != "src" and PUBLIC_FORBIDDEN.search(inc):
                            bad.append(f"{path}:{n}: public header includes {inc}; keep it in src/{mod}/ (pimpl)")
    for b in bad:
        print(b)
    print(f"{seen} includes checked, {len(bad)} violation(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
