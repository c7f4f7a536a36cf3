#!/usr/bin/env python3
"""The memory map page as a person meets it: bootmap draws maps of three kinds of machine (an x86 boot
log with NUMA, dmem= and a crash kernel; a device tree with overlapping reserved regions; an iomem
dump with a stranding dax device), headless Chromium opens each page, and the check is that
  - the page's script ran to the end without a console message (no error, no warning),
  - every region, NUMA node and finding of the map is an element of the rendered page,
  - the scale toggle works (#linear switches the page and moves the regions),
  - a screenshot renders, at the size asked for.
Usage: map_browser_check.py BOOTMAP REPO_ROOT SCRATCH_DIR [CHROMIUM]"""
import pathlib
import re
import shutil
import subprocess
import sys

bootmap, root, scratch = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
chromium = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    sys.exit("chromium is not installed (apt-get install chromium): the memory map page cannot be checked")
fx = root / "fixtures"
shutil.rmtree(scratch, ignore_errors=True)
scratch.mkdir(parents=True)

maps = {
    "x86-numa": ["--dmesg", str(fx / "kernel/x86-numa-2node/dmesg.txt"), "--cmdline", "memmap=256M!5G crashkernel=128M dmem=512M",
                 "--kconfig", "DMEM=y"],
    "dt-overlap": [str(fx / "dt/rules/dt-rmem-overlap.fires.dts")],
    "kmem": [str(fx / "iomem/rules/kmem-stranded-capacity.fires.iomem")],
}
chrome_flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + str(scratch / "profile")]
failures = []


def browse(url, *extra):
    done = subprocess.run([chromium, *chrome_flags, *extra, url], capture_output=True, text=True, timeout=120)
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done, console


def count(pattern, text):
    return len(re.findall(pattern, text))


for name, args in maps.items():
    page = scratch / f"{name}.html"
    made = subprocess.run([bootmap, "map", *args, "-o", str(page)], capture_output=True, text=True)
    if made.returncode not in (0, 1) or not page.exists():
        failures.append(f"{name}: bootmap map exited {made.returncode}: {made.stderr}")
        continue
    html = page.read_text()
    expected = {kind: count(rf'<rect class="{kind}[ "]', html) for kind in ("region", "node", "finding")}
    if expected["region"] == 0:
        failures.append(f"{name}: the page has no region at all")

    done, console = browse(page.as_uri(), "--dump-dom")
    dom = done.stdout
    if 'data-ready="yes"' not in dom:
        failures.append(f"{name}: the page's script did not finish (data-ready is not yes)")
    failures += [f"{name}: console: {line}" for line in console]
    for kind, n in expected.items():
        got = count(rf'<rect class="{kind}[ "]', dom)
        if got != n:
            failures.append(f"{name}: {n} {kind} elements in the page, {got} in the rendered document")

    done, console = browse(page.as_uri() + "#linear", "--dump-dom")
    failures += [f"{name} (linear): console: {line}" for line in console]
    if not re.search(r'<body[^>]*data-scale="linear"', done.stdout):
        failures.append(f"{name}: #linear did not switch the page to the linear scale")
    ys = [float(y) for y in re.findall(r'<rect class="region[^>]* y="([0-9.]+)"', done.stdout)]
    lin_ys = [float(y) for y in re.findall(r'<rect class="region[^>]*data-lin-y="([0-9.]+)"', html)]
    if sorted(ys) != sorted(lin_ys):
        failures.append(f"{name}: under #linear the regions are not at their linear positions")

    shot = scratch / f"{name}.png"
    done, console = browse(page.as_uri(), f"--screenshot={shot}", "--window-size=1300,1000")
    failures += [f"{name} (screenshot): console: {line}" for line in console]
    data = shot.read_bytes() if shot.exists() else b""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        failures.append(f"{name}: no PNG screenshot")
    elif (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) != (1300, 1000):
        failures.append(f"{name}: the screenshot is not 1300x1000")
    print(f"{name}: {expected['region']} regions, {expected['node']} nodes, {expected['finding']} findings; screenshot {shot}")

for f in failures:
    print(f, file=sys.stderr)
sys.exit(1 if failures else 0)
