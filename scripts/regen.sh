#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate the netlink code of the family from its spec with the kernel's
# own generator (tools/net/ynl/ynl-gen-c.py of linux-source-6.12, which
# ksrc.sh extracts; no network needed):
#
#   Documentation/netlink/specs/tsnic.yaml
#     -> uapi/linux/tsnic.h        the user API: attributes, commands, consts
#     -> driver/netlink-gen.h      the kernel's policies and ops, declared
#     -> driver/netlink-gen.c      and defined (with the family itself)
#
#   regen.sh          write the three files (what `make regen` runs)
#   regen.sh --check  write nothing; print "ok"/"not ok" per file and fail
#                     if a checked-in file differs from a fresh generation
#
# The generator walks up from the spec looking for the kernel tree's
# MAINTAINERS file (to print the spec's path relative to it) and never
# stops if there is none, and it validates the spec against the schema
# two directories above the spec.  So it runs on a copy of the spec in a
# scratch tree laid out as a kernel tree: an empty MAINTAINERS at its top,
# the schemas of linux-source beside the specs.  The output names the spec
# as Documentation/netlink/specs/tsnic.yaml, which is also its path here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)

check=
case ${1:-} in
--check) check=1 ;;
"") ;;
*) echo "usage: regen.sh [--check]" >&2; exit 2 ;;
esac

ksrc=$("$here/ksrc.sh")
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
spec=Documentation/netlink/specs/tsnic.yaml

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Documentation/netlink/specs" "$scratch/out"
: >"$scratch/MAINTAINERS"
cp "$ksrc"/Documentation/netlink/genetlink*.yaml "$scratch/Documentation/netlink/"
cp "$tree/$spec" "$scratch/$spec"

# OUTPUT MODE HEADER|SOURCE
outputs=(
	"uapi/linux/tsnic.h uapi --header"
	"driver/netlink-gen.h kernel --header"
	"driver/netlink-gen.c kernel --source"
)
fails=0
for o in "${outputs[@]}"; do
	set -- $o
	# the generator names the header netlink-gen.c includes after -o
	mkdir -p "$scratch/out/$(dirname "$1")"
	(cd "$scratch" && python3 "$gen" --mode "$2" "$3" --spec "$spec" \
		-o "out/$1") >"$scratch/gen.log" 2>&1 ||
		{ cat "$scratch/gen.log" >&2; echo "not ok regen: $1: the generator failed"; exit 1; }
	if [ -z "$check" ]; then
		cp "$scratch/out/$1" "$tree/$1"
		echo "	GEN	$1"
	elif cmp -s "$scratch/out/$1" "$tree/$1"; then
		echo "ok regen: $1 is what $spec generates"
	else
		diff -u "$tree/$1" "$scratch/out/$1" | head -n 40 || true
		echo "not ok regen: $1 differs from what $spec generates (make regen)"
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
