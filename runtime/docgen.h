/* The parts of the man pages and of the bash completion that the option
 * tables determine, printed by the hidden `hrun --gen-doc KEY` for
 * tools/gendoc.sh to splice between the files' GENERATED markers. */
#ifndef HRUN_DOCGEN_H
#define HRUN_DOCGEN_H

/* KEY: head:CMD and options:CMD (hrun-CMD.8), commands and seealso
 * (hrun.8), completion (contrib/hrun.bash-completion). Prints the block
 * to stdout; returns the exit status (1 for an unknown key or command). */
int cli_gen_doc(const char *key);

#endif
