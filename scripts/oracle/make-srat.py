#!/usr/bin/env python3
"""Writes an ACPI SRAT for QEMU's -acpitable file=…, to ask the oracle how a kernel treats a table
QEMU would never build itself (nodes that overlap, RAM no node covers).

    make-srat.py OUT.bin MEM… [--cpu PXM:APIC…]
    MEM is PXM:BASE:SIZE[:hotplug] with sizes in bytes or with K/M/G (0:0:1G 1:1G:512M)

Without -numa, QEMU builds no SRAT of its own, so the kernel reads this one."""
import struct
import sys

def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1:].upper() in units:
        return int(text[:-1], 0) * units[text[-1].upper()]
    return int(text, 0)

def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, body = argv[1], b""
    cpus = [a for a in argv[2:] if a.startswith("--cpu=")]
    for c in cpus:
        pxm, apic = (int(x, 0) for x in c[len("--cpu="):].split(":"))
        # Processor local APIC affinity: type 0, length 16, PXM[7:0], APIC id, flags (enabled).
        body += struct.pack("<BBBBIB3sI", 0, 16, pxm & 0xFF, apic, 1, 0, bytes([pxm >> 8 & 0xFF, pxm >> 16 & 0xFF, pxm >> 24 & 0xFF]), 0)
    for m in (a for a in argv[2:] if not a.startswith("--cpu=")):
        parts = m.split(":")
        pxm, base, length = int(parts[0], 0), size(parts[1]), size(parts[2])
        flags = 1 | (2 if "hotplug" in parts[3:] else 0)
        # Memory affinity: type 1, length 40.
        body += struct.pack("<BBIHIIIIIIQ", 1, 40, pxm, 0, base & 0xFFFFFFFF, base >> 32, length & 0xFFFFFFFF, length >> 32, 0, flags, 0)
    length = 48 + len(body)
    header = struct.pack("<4sIBB6s8sI4sI", b"SRAT", length, 3, 0, b"BOOTMP", b"ORACLE  ", 1, b"BTMP", 1)
    table = bytearray(header + struct.pack("<IQ", 1, 0) + body)
    table[9] = (-sum(table)) & 0xFF
    with open(out, "wb") as f:
        f.write(table)

if __name__ == "__main__":
    main(sys.argv)
