#!/usr/bin/env bash
# make check: the layer rule of tools/layers holds.
#  1. every source of runtime/, nsexec/ and libcontainer/ is in a layer;
#  2. every `#include "dir/file.h"` names its own layer or one it may use;
#  3. every call (an undefined symbol of an object in BUILD, resolved to the
#     object that defines it) goes to its own layer or one it may use;
#  4. no two object files of the library call each other, even through
#     others (tsort finds the loop).
# Usage: tools/check-layers.sh [BUILD]   (BUILD: where make put the .o files)
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
rules=tools/layers
bad=0
fail() { echo "check-layers: $*"; bad=$((bad + 1)); }

declare -A allowed rank
n=0
while IFS= read -r line; do
  case "$line" in '#'* | '') continue ;; esac
  layer=${line%%:*}
  uses=${line#*:}
  rank[$layer]=$n
  allowed[$layer]=" $layer $(echo $uses) "
  n=$((n + 1))
done <"$rules"
# The rule itself points downward only.
for layer in "${!allowed[@]}"; do
  for use in ${allowed[$layer]}; do
    [ -n "${rank[$use]:-}" ] || fail "$rules: $layer uses $use, which is no layer"
    [ "$use" = "$layer" ] || [ "${rank[$use]:-0}" -gt "${rank[$layer]}" ] ||
      fail "$rules: $layer uses $use, which is listed above it"
  done
done

layer_of() { # path -> its layer (its directory), or nothing
  local d=${1%/*}
  [ -n "${rank[$d]:-}" ] && echo "$d"
}

# 1 and 2
nsrc=0 ninc=0
while IFS= read -r src; do
  nsrc=$((nsrc + 1))
  from=$(layer_of "$src")
  [ -n "$from" ] || { fail "$src: in no layer of $rules"; continue; }
  while IFS=: read -r lineno inc; do
    ninc=$((ninc + 1))
    to=$(layer_of "$inc")
    if [ -z "$to" ]; then
      fail "$src:$lineno: includes $inc, in no layer"
    elif [[ "${allowed[$from]}" != *" $to "* ]]; then
      fail "$src:$lineno: $from includes $inc: $to is not below $from"
    fi
  done < <(sed -n 's/^#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p;' "$src" | grep -n '' )
done < <(find runtime nsexec libcontainer -name '*.[ch]' | sort)

# 3 and 4
objs=$(find "$build/runtime" "$build/nsexec" "$build/libcontainer" -name '*.o' 2>/dev/null | sort)
[ -n "$objs" ] || { fail "no object files under $build: run make first"; objs=; }
declare -A defined_in
ncalls=0
if [ -n "$objs" ]; then
  # shellcheck disable=SC2086
  while read -r obj type sym; do
    case "$type" in [TDBRC]) defined_in[$sym]=$obj ;; esac
  done < <(nm -A $objs | sed -n 's/^\([^:]*\.o\):[0-9a-f]* \([A-Z]\) \(.*\)$/\1 \2 \3/p')
  edges=$(mktemp)
  trap 'rm -f "$edges"' EXIT
  # shellcheck disable=SC2086
  while read -r obj sym; do
    def=${defined_in[$sym]:-}
    [ -n "$def" ] && [ "$def" != "$obj" ] || continue
    ncalls=$((ncalls + 1))
    from=$(layer_of "${obj#"$build"/}") to=$(layer_of "${def#"$build"/}")
    if [ -n "$from" ] && [ -n "$to" ] && [[ "${allowed[$from]}" != *" $to "* ]]; then
      fail "${obj#"$build"/} calls $sym in ${def#"$build"/}: $to is not below $from"
    fi
    case "$obj" in "$build"/runtime/*) ;; *) echo "$obj $def" >>"$edges" ;; esac
  done < <(nm -A -u $objs | sed -n 's/^\([^:]*\.o\): *U \(.*\)$/\1 \2/p')
  if ! loop=$(tsort "$edges" 2>&1 >/dev/null) || [ -n "$loop" ]; then
    fail "library objects call each other in a circle:$(echo "$loop" | grep -v 'input contains a loop' | sed "s|^tsort: ||; s|$build/||" | tr '\n' ' ')"
  fi
fi

echo "check-layers: ${#rank[@]} layers, $nsrc sources, $ninc includes, $ncalls calls between objects: $([ $bad -eq 0 ] && echo ok || echo "$bad violations")"
[ $bad -eq 0 ]
