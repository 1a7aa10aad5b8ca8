#!/usr/bin/env python3
"""Print the README's performance tables (Markdown) from bench/results.json."""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "results.json"


def ms(seconds):
    if seconds is None:
        return ""
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def main():
    data = json.loads(OUT.read_text())
    scales = data["scales"]
    for scale, run in sorted(scales.items(), key=lambda item: int(item[0])):
        counts = run["counts"]
        print(f"\n×{scale}: {counts['social.scheme']:,} schemes, {counts['social.scheme.budget.line']:,} lines, "
              f"{counts['social.scheme.procurement.package']:,} packages, "
              f"{counts['social.scheme.disbursement']:,} payments, {counts['social.scheme.kpi']:,} KPIs, "
              f"{counts['social.scheme.kpi.measurement']:,} figures; {run['database_size']}, generated in "
              f"{run.get('generation_seconds', 0):.0f} s\n")
        print("| operation | ours | minimal | ratio | target |")
        print("|---|---|---|---|---|")
        for row in run["results"]:
            ratio = f"{row['ratio']:.2f}×" if row.get("ratio") else ""
            target = ""
            if row.get("target"):
                target = f"≤ {row['target']}× {'✓' if row.get('ok') else '✗'}"
            print(f"| {row['name']} | {ms(row['ours'])} | {ms(row.get('raw'))} | {ratio} | {target} |")
            notes = "; ".join(str(row[key]) for key in ("queries", "memory") if row.get(key))
            if notes:
                print(f"| … {notes} | | | | |")
    pairs = data.get("between_scales") or []
    if pairs:
        print("\n| operation | ×1 | ×10 | ×10 / ×1 | target |")
        print("|---|---|---|---|---|")
        for pair in pairs:
            target = f"≤ {pair['target']}× {'✓' if pair['ratio'] <= pair['target'] else '✗'}" \
                if pair.get("target") else "grows with what it prints"
            print(f"| {pair['name']} | {ms(pair['x1'])} | {ms(pair['x10'])} | {pair['ratio']:.2f}× | {target} |")
    for scale, run in sorted(scales.items(), key=lambda item: int(item[0])):
        for section in ("load", "replica"):
            if run.get(section):
                print(f"\n×{scale} {section}:")
                for line in run[section]["lines"]:
                    print(f"    {line}")


if __name__ == "__main__":
    main()
