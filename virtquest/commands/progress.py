"""`virtquest progress export FILE | import FILE [--replace] | path`: move a learner's progress."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from virtquest.progress.errors import ProgressError
from virtquest.progress.export import export_profile, import_profile
from virtquest.progress.paths import database_path
from virtquest.progress.store import Store, open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "progress", help="export, import or locate the learner's progress",
        description="Export a learner profile as JSON, import one (how an instructor collects "
                    "progress), or print where the progress database lives.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    path = actions.add_parser("path", help="print the progress database's path")
    path.set_defaults(handler=_path)
    export = actions.add_parser("export", help="write a profile to a JSON file")
    export.add_argument("file", metavar="FILE")
    export.add_argument("--profile", metavar="NAME", help="profile to export (default: current)")
    export.set_defaults(handler=_export)
    imp = actions.add_parser("import", help="add a profile from a JSON file")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--replace", action="store_true",
                     help="overwrite the existing profile of the same name")
    imp.add_argument("--as", dest="name", metavar="NAME", help="import under this profile name")
    imp.set_defaults(handler=_import)
    for sub in (path, export, imp):
        sub.add_argument("--json", action="store_true", help="print one JSON document")


def open_store_for_cli() -> Store:
    """Open the store; anything the learner must know (a database kept aside) goes to stderr."""
    store = open_store()
    for warning in store.warnings:
        print(f"virtquest: warning: {warning}", file=sys.stderr)
    return store


def emit(args: argparse.Namespace, document: dict[str, Any], text: str) -> None:
    """One JSON document with --json, else the human-readable text."""
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(text)


def _path(args: argparse.Namespace) -> int:
    path = database_path()
    emit(args, {"path": str(path), "exists": path.exists()}, str(path))
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_store_for_cli() as store:
        profile_id = _profile_id(store, args.profile)
        counts = export_profile(store, profile_id, args.file)
        name = store.profile(profile_id).name
    emit(args, {"profile": name, "file": args.file, "counts": counts},
         f"exported profile {name!r} to {args.file} ({_describe(counts)})")
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_store_for_cli() as store:
        result = import_profile(store, args.file, replace=args.replace, name=args.name)
    verb = "replaced" if result.replaced else "imported"
    emit(args, {"profile_id": result.profile_id, "profile": result.name,
                "replaced": result.replaced, "counts": result.counts},
         f"{verb} profile {result.name!r} from {args.file} ({_describe(result.counts)})")
    return 0


def _profile_id(store: Store, name: str | None) -> int:
    if name is None:
        return store.current_profile_id()
    found = store.profile_id_by_name(name)
    if found is None:
        known = ", ".join(p.name for p in store.list_profiles())
        raise ProgressError(f"no profile named {name!r} (profiles: {known})")
    return found


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {key.replace('_', ' ')}" for key, count in counts.items())
