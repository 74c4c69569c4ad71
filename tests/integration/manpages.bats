#!/usr/bin/env bats
# A man page per command, agreeing with the parser: the NAME, SYNOPSIS and
# OPTIONS of man/hrun-CMD.8, hrun.8's command list and the bash
# completion's option lists are made from the option tables (`make man`,
# tools/gendoc.sh); here they must be what the tables give now, every
# command must have its page and its --help, and every page must render
# without a warning. No container is run.

load helpers

GENDOC=$REPO_ROOT/tools/gendoc.sh
MAN=$REPO_ROOT/man
COMPLETION=$REPO_ROOT/contrib/hrun.bash-completion

# The long options a rendered page's OPTIONS section (up to the paragraph of
# hidden ones), or `hrun CMD --help`, lists, one a line, in order.
page_options() {
  MANWIDTH=200 man -l -Tutf8 "$1" 2>/dev/null | col -b |
    awk '/^OPTIONS/ { on = 1; next } /^[A-Z]|^       Also accepted/ { on = 0 }
      on && /^       (-., )?--[a-z0-9-]/ { sub(/^ +(-., )?/, ""); sub(/[ \[].*/, ""); print }'
}
help_options() {
  "$HRUN_BIN" "$1" --help | sed -nE 's/^ +(-., )?(--[a-z0-9-]+).*/\2/p'
}

@test "man pages: every command has --help and its page; no page without its command" {
  local cmd n=0
  for cmd in $(listed_commands); do
    run "$HRUN_BIN" "$cmd" --help
    assert_success
    assert_line --index 0 --regexp "^usage: hrun $cmd( |\$)"
    [ -f "$MAN/hrun-$cmd.8" ] || fail "no man/hrun-$cmd.8 for the command $cmd (copy one, then make man)"
    grep -qx '.\\" BEGIN GENERATED HEAD' "$MAN/hrun-$cmd.8" || fail "man/hrun-$cmd.8: no GENERATED HEAD block"
    grep -qx '.\\" BEGIN GENERATED OPTIONS' "$MAN/hrun-$cmd.8" || fail "man/hrun-$cmd.8: no GENERATED OPTIONS block"
    n=$((n + 1))
  done
  [ "$n" -ge 17 ] || fail "only $n commands listed"
  local page
  for page in "$MAN"/hrun-*.8; do
    cmd=${page##*/hrun-} cmd=${cmd%.8}
    listed_commands | grep -qx "$cmd" || fail "man/hrun-$cmd.8: hrun has no command $cmd"
  done
}

@test "man pages and completion: the generated parts are what the option tables give now" {
  run "$GENDOC" "$HRUN_BIN" check "$MAN"/*.8 "$COMPLETION"
  assert_success
  # And, read back from the rendered page, each OPTIONS section lists the
  # options --help lists, in its order.
  local cmd
  for cmd in $(listed_commands); do
    assert_equal "$(page_options "$MAN/hrun-$cmd.8")" "$(help_options "$cmd")"
  done
}

@test "man pages: each renders with man -l and groff -ww without a warning; whatis reads its NAME" {
  local page
  for page in "$MAN"/*.8 "$MAN"/*.5; do
    run --separate-stderr man -l -Tutf8 --warnings=w "$page"
    assert_success
    [ -z "$stderr" ] || fail "man -l $page: $stderr"
    [ -n "$output" ] || fail "man -l $page: no output"
    run groff -man -Tutf8 -ww -z "$page"
    assert_success
    assert_output ""
    run lexgrog "$page"
    assert_success
    assert_output --regexp ": \"hrun(-[a-z]+)? - .+\"$"
  done
}

@test "man pages: hrun(8) names every hrun-CMD(8); the completion knows every command" {
  local see cmd
  see=$(man -l -Tutf8 "$MAN/hrun.8" 2>/dev/null | col -b | sed -n '/^SEE ALSO/,/^[A-Z]/p')
  for cmd in $(listed_commands); do
    [[ $see == *"hrun-$cmd(8)"* ]] || fail "hrun.8 SEE ALSO lacks hrun-$cmd(8)"
    run bash -c 'source "$1" && v=_hrun_$2_pos && [ -n "${!v}" ] &&
      [[ " $_hrun_commands " == *" $2 "* ]]' _ "$COMPLETION" "$cmd"
    assert_success
  done
}
