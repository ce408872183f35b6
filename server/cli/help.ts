// Does the command line ask for kubelab's usage? Answered before anything else is
// loaded, so `kubelab --help` costs little more than starting Node.
const HELP_WORDS: ReadonlySet<string> = new Set(['help', '--help', '-h']);

/** `help`, `--help` or `-h` alone, or `--help`/`-h` anywhere before sim's or grade's own arguments. */
export function asksForHelp(argv: readonly string[]): boolean {
  if (argv.length === 1 && HELP_WORDS.has(argv[0]!)) return true;
  if (argv[0] === 'sim' || argv[0] === 'grade') return false;
  return argv.some((a) => a === '--help' || a === '-h');
}
