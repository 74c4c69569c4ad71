#!/usr/bin/env bats
# The source tree keeps its layers (tools/layers, README "Layout") and its
# size limits, and the checks `make lint` runs catch what they are for:
# each violation below is made in a copy of the tree (with a copy of the
# objects make built), never in the tree itself. No container is run.

load helpers

setup() {
  [ -d "$REPO_ROOT/build/libcontainer" ] || fail "no objects in build/: run make first"
  COPY=$BATS_TEST_TMPDIR/tree
  mkdir -p "$COPY/build"
  cp -r "$REPO_ROOT"/{runtime,nsexec,libcontainer,tools} "$COPY"/
  cp -r "$REPO_ROOT"/build/{runtime,nsexec,libcontainer} "$COPY/build/"
}

compile_into_copy() { # SRC: compiles COPY/SRC into COPY/build/SRC.o
  gcc -std=gnu11 -D_GNU_SOURCE -I"$COPY" -c -o "$COPY/build/${1%.c}.o" "$COPY/$1"
}

@test "layout: the tree keeps its layers and its size limits" {
  run "$REPO_ROOT/tools/check-layers.sh" "$REPO_ROOT/build"
  assert_success
  assert_output --regexp '^check-layers: 11 layers, [0-9]+ sources, [0-9]+ includes, [0-9]+ calls between objects: ok$'
  run "$REPO_ROOT/tools/check-sizes.sh"
  assert_success
  assert_output --regexp 'limits 800 per file, 60 per function: ok$'
}

@test "layout: an include that goes upward fails, naming the file and line" {
  sed -i '1i #include "libcontainer/container/container.h"' "$COPY/libcontainer/spec/spec.c"
  run "$COPY/tools/check-layers.sh" build
  assert_failure
  assert_line "check-layers: libcontainer/spec/spec.c:1: libcontainer/spec includes libcontainer/container/container.h: libcontainer/container is not below libcontainer/spec"
}

@test "layout: a call that goes upward fails, even without the include" {
  cat >"$COPY/libcontainer/util/probe.c" <<'C'
int container_kill_probe(void);
int util_probe(void);
int util_probe(void) { return container_kill_probe(); }
C
  cat >"$COPY/libcontainer/container/kill_probe.c" <<'C'
int container_kill_probe(void);
int container_kill_probe(void) { return 0; }
C
  compile_into_copy libcontainer/util/probe.c
  compile_into_copy libcontainer/container/kill_probe.c
  run "$COPY/tools/check-layers.sh" build
  assert_failure
  assert_line "check-layers: libcontainer/util/probe.o calls container_kill_probe in libcontainer/container/kill_probe.o: libcontainer/container is not below libcontainer/util"
}

@test "layout: two files of one layer that call each other fail" {
  cat >"$COPY/libcontainer/state/ping.c" <<'C'
int state_pong(int n);
int state_ping(int n);
int state_ping(int n) { return n ? state_pong(n - 1) : 0; }
C
  cat >"$COPY/libcontainer/state/pong.c" <<'C'
int state_ping(int n);
int state_pong(int n);
int state_pong(int n) { return n ? state_ping(n - 1) : 1; }
C
  compile_into_copy libcontainer/state/ping.c
  compile_into_copy libcontainer/state/pong.c
  run "$COPY/tools/check-layers.sh" build
  assert_failure
  assert_output --partial "check-layers: library objects call each other in a circle:"
  assert_output --partial "libcontainer/state/ping.o"
  assert_output --partial "libcontainer/state/pong.o"
}

@test "layout: a source outside every layer, and a rule that points upward, fail" {
  mkdir "$COPY/libcontainer/misc"
  echo 'int misc;' >"$COPY/libcontainer/misc/misc.c"
  sed -i 's|^libcontainer/util:.*|libcontainer/util: libcontainer/spec|' "$COPY/tools/layers"
  run "$COPY/tools/check-layers.sh" build
  assert_failure
  assert_line "check-layers: libcontainer/misc/misc.c: in no layer of tools/layers"
  assert_line "check-layers: tools/layers: libcontainer/util uses libcontainer/spec, which is listed above it"
}

@test "layout: a function over 60 lines and a file over 800 fail check-sizes" {
  {
    printf 'int long_function(void)\n{\n  int x = 0;\n'
    for i in $(seq 60); do printf '  x += %d;\n' "$i"; done
    printf '  return x;\n}\n'
    for i in $(seq 740); do printf '/* filler %d */\n' "$i"; done
  } >"$COPY/libcontainer/util/too_long.c"
  run "$COPY/tools/check-sizes.sh" libcontainer/util
  assert_failure
  assert_line "libcontainer/util/too_long.c:2: function is 64 lines (limit 60): int long_function(void)"
  assert_line "libcontainer/util/too_long.c: 805 lines (limit 800)"
}
