#!/usr/bin/env python3
"""Runs bootmap over inputs that exercise every part of its SARIF and JSON reports (line/column and
byte-offset locations, related locations, device-tree node paths, a baseline, an in-source
suppression, kmem and dmem tables, a fleet) and validates each report against its schema:
  - SARIF against tests/schemas/sarif-2.1.0-bootmap-subset.schema.json, and against the official
    OASIS sarif-schema-2.1.0.json too when BOOTMAP_SARIF_SCHEMA names a copy of it;
  - JSON against docs/schema/bootmap-report.schema.json.
Formats (uri, uri-reference) are checked. Usage: validate_reports.py BOOTMAP REPO_ROOT SCRATCH_DIR"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import jsonschema

bootmap, root, scratch = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
fx = root / "fixtures"
shutil.rmtree(scratch, ignore_errors=True)
scratch.mkdir(parents=True)

# The overlap board with a suppression comment above one of its two overlapping nodes.
shutil.copy(fx / "dt/rules/board-base.dtsi", scratch)
board = scratch / "board.dts"
text = (fx / "dt/rules/dt-rmem-overlap.fires.dts").read_text()
board.write_text(text.replace("\t\tadsp@", "\t\t// bootmap: disable-next-line dt-rmem-overlap -- shared on purpose\n\t\tadsp@", 1))
baseline = scratch / "baseline.json"

cases = {
    "dts": ["lint", str(fx / "dt/rules/dt-rmem-overlap.fires.dts")],
    "dtb": ["lint", str(fx / "dt/rules/dt-rmem-overlap.fires.dtb")],
    "dropped": ["lint", str(fx / "dt/rules/dt-rmem-dropped.fires.dts")],
    "suppressed": ["lint", str(board)],
    "iomem": ["lint", str(fx / "iomem/rules/iomem-sibling-overlap.fires.iomem")],
    "cmdline": ["lint", "--dmesg", str(fx / "kernel/x86-2G/dmesg.txt"), "--cmdline", "nokaslr memmap=64M$16M mem=1G mem=2G"],
    "srat": ["lint", str(fx / "srat/real/hp-dl165g7-4node-split-hole.srat.dat")],
    "kmem": ["kmem", str(fx / "iomem/rules/kmem-stranded-capacity.fires.iomem")],
    "libvirt": ["lint", str(fx / "libvirt/x86-nvdimm-numa.xml")],
    "dax-kmem": ["analyze", "--dmesg", str(fx / "kernel/x86-kmem-misaligned/dmesg.txt"), "--cmdline", "memmap=2G!4G", "--dax-kmem"],
    "fixes": ["lint", str(fx / "cmdline/rules/cmdline-bootloader-dollar-expanded.fires.cmdline"), "--cmdline", "crashkernel=0256M"],
    "dmem": ["dmem", "--dmesg", str(fx / "kernel/x86-numa-2node/dmesg.txt"), "--cmdline", "dmem=1G"],
}
reports = {"sarif": [], "json": []}
for name, args in cases.items():
    for fmt in ("sarif", "json"):
        done = subprocess.run([bootmap, *args, "--format", fmt], capture_output=True, text=True)
        if done.returncode not in (0, 1):
            sys.exit(f"{name}/{fmt}: bootmap exited {done.returncode}: {done.stderr}")
        if not done.stdout:
            sys.exit(f"{name}/{fmt}: bootmap printed nothing: {done.stderr}")
        try:
            reports[fmt].append((f"{name}/{fmt}", json.loads(done.stdout)))
        except json.JSONDecodeError as e:
            sys.exit(f"{name}/{fmt}: not JSON ({e}): {done.stdout[:200]!r}")
# A baseline accepting the overlap, then a run against it: results carry baselineState.
subprocess.run([bootmap, "lint", str(fx / "dt/rules/dt-rmem-overlap.fires.dts"), "--write-baseline", str(baseline)], check=True, capture_output=True)
for fmt in ("sarif", "json"):
    done = subprocess.run([bootmap, "lint", str(fx / "dt/rules/dt-rmem-overlap.fires.dts"), "--baseline", str(baseline), "--format", fmt],
                          capture_output=True, text=True)
    reports[fmt].append((f"baseline/{fmt}", json.loads(done.stdout)))
# A fleet: one JSON document per line.
done = subprocess.run([bootmap, "lint", "--batch", str(fx / "batch/fleet")], capture_output=True, text=True)
for i, line in enumerate(done.stdout.splitlines()):
    reports["json"].append((f"batch/line {i + 1}", json.loads(line)))


def validator(path):
    schema = json.loads(pathlib.Path(path).read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


checks = [("sarif", validator(root / "tests/schemas/sarif-2.1.0-bootmap-subset.schema.json")),
          ("json", validator(root / "docs/schema/bootmap-report.schema.json"))]
official = os.environ.get("BOOTMAP_SARIF_SCHEMA")
if official:
    checks.append(("sarif", validator(official)))
failures = 0
for fmt, check in checks:
    for name, doc in reports[fmt]:
        for error in check.iter_errors(doc):
            failures += 1
            print(f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message}", file=sys.stderr)

# The reports must really exercise what the schemas describe, or the check proves little.
sarif_results = [r for _, doc in reports["sarif"] for r in doc["runs"][0]["results"]]
needed = {
    "a line/column region": any("startLine" in r["locations"][0]["physicalLocation"].get("region", {}) for r in sarif_results),
    "a byte-offset region": any("byteOffset" in r["locations"][0]["physicalLocation"].get("region", {}) for r in sarif_results),
    "a related location": any("relatedLocations" in r for r in sarif_results),
    "a logical location": any("logicalLocations" in r["locations"][0] for r in sarif_results),
    "an in-source suppression": any("suppressions" in r for r in sarif_results),
    "a baseline state": any("baselineState" in r for r in sarif_results),
    "a fix": any("fixes" in r for r in sarif_results),
}
for what, present in needed.items():
    if not present:
        failures += 1
        print(f"no SARIF result carries {what}", file=sys.stderr)
print(f"validated {len(reports['sarif'])} SARIF and {len(reports['json'])} JSON reports against {len(checks)} schemas: "
      f"{failures} problem(s)")
sys.exit(1 if failures else 0)
