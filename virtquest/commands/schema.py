"""`virtquest schema OUT_DIR`: JSON Schemas of the level and quiz files, for editors."""

from __future__ import annotations

import json
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("schema", help="write JSON Schemas of the level and quiz files",
                       description="Write level.schema.json and quiz.schema.json into OUT_DIR.")
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from virtquest.content.level_loader import level_schema
    from virtquest.content.quizzes import quiz_json_schema

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in (("level", level_schema()), ("quiz", quiz_json_schema())):
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        print(path)
    return 0
