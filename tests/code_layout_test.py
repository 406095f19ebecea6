#!/usr/bin/env python3
"""Checks the docket binary's code layout (cli/CMakeLists.txt): the
functions listed in cli/hot_functions.txt lie together in llvm-bolt's hot
range [__hot_start, __hot_end), main among them, and that range is a small
part of the code.

    code_layout_test.py DOCKET HOT_FUNCTIONS
"""
import subprocess
import sys


def main(binary, functions_path):
    addresses = {}  # name -> addresses of every function so named
    for line in subprocess.run(["nm", "--defined-only", binary], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 3:
            addresses.setdefault(fields[2], []).append(int(fields[0], 16))
    if "__hot_start" not in addresses:
        sys.exit(f"{binary} has no __hot_start: llvm-bolt did not lay it out")
    start, end = addresses["__hot_start"][0], addresses["__hot_end"][0]
    with open(functions_path) as f:
        listed = [name.strip() for name in f if name.strip()]
    found = [name for name in listed if name in addresses]
    outside = [name for name in found if not any(start <= a < end for a in addresses[name])]
    if not any(start <= a < end for a in addresses.get("main", [])):
        sys.exit("main is not in the hot range")
    # A few listed functions may stay in place (llvm-bolt leaves some
    # alone, such as glibc's hand-written string functions).
    if len(outside) * 20 > len(found):
        sys.exit(f"{len(outside)} of the {len(found)} listed functions found lie outside the hot "
                 f"range, e.g. {outside[:5]}")
    text = subprocess.run(["size", "-A", binary], capture_output=True, text=True,
                          check=True).stdout
    code = sum(int(line.split()[1]) for line in text.splitlines()
               if line.startswith(".text") or line.startswith(".bolt.org.text"))
    if (end - start) * 4 > code:
        sys.exit(f"the hot range ({end - start} bytes) is over a quarter of the code ({code} bytes)")
    print(f"{len(found) - len(outside)} of {len(listed)} listed functions in the hot range "
          f"of {(end - start) / 1024:.0f} KiB ({code / 1048576:.1f} MiB of code)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
