#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict over the kernel-side sources (from linux-source-6.12).
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
