#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over the kernel-side sources, then kernel-doc -Wall
# over the driver's comments (both from linux-source-6.12).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
ksrc=$("$here/ksrc.sh")
cd "$tree"
"$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f $( (git ls-files 'driver/*.[ch]' 'uapi/*.h' 2>/dev/null ||
		find driver uapi -name '*.[ch]' ! -name '*.mod.c') |
		# the generator's output is checked by regen.sh --check instead
		xargs grep -L '^/\* YNL-GEN ')
# the kernel-doc comments (of the functions other files call) parse, and
# name every parameter and the return value
"$ksrc/scripts/kernel-doc" -none -Wall -Werror driver/*.c driver/*.h
