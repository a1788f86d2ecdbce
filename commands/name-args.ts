/**
 * Words that become names in the simulated machine (a `file` NAME, an `av=`
 * label): refused where they are written, with the same rules step() and the
 * importers apply (kernel-sim/sim-limits.ts).
 */
import { anonVmaIdProblem, fileNameProblem } from '../kernel-sim/sim-limits.js';
import { wordArg, type ArgType } from './arg-types.js';

function checkedWord(expected: string, problem: (text: string) => string | null, completion?: ArgType<string>['completion']): ArgType<string> {
  const word = wordArg(expected, completion);
  return {
    ...word,
    parse(text, name, ctx) {
      const bad = problem(text);
      return bad ? { ok: false, message: `${name} ${bad}` } : word.parse(text, name, ctx);
    },
  };
}

export const fileNameArg: ArgType<string> = checkedWord('a file NAME', fileNameProblem);
export const anonVmaIdArg: ArgType<string> = checkedWord('an anon_vma ID', anonVmaIdProblem);
