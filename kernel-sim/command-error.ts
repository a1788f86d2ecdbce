/**
 * A command that cannot be carried out at all (not a failed system call):
 * `vmasim run` stops on it, the REPL reports it and changes nothing.
 */
export class CommandError extends Error {}
