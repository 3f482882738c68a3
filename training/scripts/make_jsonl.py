"""assets/raw_allowed.txt -> assets/raw_allowed.jsonl (input of spacy pretrain)."""
import json
import sys

src, dst = (sys.argv[1:3] + ["assets/raw_allowed.txt", "assets/raw_allowed.jsonl"][len(sys.argv[1:3]):])
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        if len(line.split()) >= 4:
            out.write(json.dumps({"text": line.strip()}, ensure_ascii=False) + "\n")
