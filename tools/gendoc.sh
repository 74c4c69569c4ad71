#!/bin/bash
# gendoc.sh HRUN update|check FILE...
#
# The parts of the man pages and of the bash completion that the option
# tables determine lie between marker lines:
#   .\" BEGIN GENERATED OPTIONS        (roff)     # BEGIN GENERATED COMPLETION   (shell)
#   .\" END GENERATED OPTIONS                     # END GENERATED COMPLETION
# and are what `HRUN --gen-doc KEY` prints, KEY being the marker's word in
# lower case, followed in man/hrun-CMD.8 by ":CMD" (options:create). update
# rewrites each block from HRUN and keeps the rest of the file; check prints
# a diff and fails when a block differs (the table changed, the page did not).
set -euo pipefail

hrun=$1 mode=$2
shift 2

# FILE as it would be with its blocks regenerated, on stdout.
regenerate() {
	local file=$1 page="" line key skip=0
	case ${file##*/} in hrun-*.8) page=${file##*/hrun-} page=${page%.8} ;; esac
	while IFS= read -r line || [[ -n $line ]]; do
		if [[ $line =~ ^(\.\\\"|#)\ END\ GENERATED\ [A-Z]+$ ]]; then
			skip=0
		elif ((skip)); then
			continue
		fi
		printf '%s\n' "$line"
		if [[ $line =~ ^(\.\\\"|#)\ BEGIN\ GENERATED\ ([A-Z]+)$ ]]; then
			key=${BASH_REMATCH[2],,}${page:+:$page}
			"$hrun" --gen-doc "$key" || { echo "$file: no block $key" >&2; return 1; }
			skip=1
		fi
	done <"$file"
}

status=0
for file in "$@"; do
	new=$(regenerate "$file") || { status=1; continue; }
	if [[ $mode == update ]]; then
		[[ $new == "$(cat "$file")" ]] || printf '%s\n' "$new" >"$file"
	elif ! diff -u --label "$file" --label "$file (from the tables)" "$file" - <<<"$new"; then
		echo "$file: generated block out of date: run make man" >&2
		status=1
	fi
done
exit $status
