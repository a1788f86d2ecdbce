/**
 * What the store needs from a model: a pure function from a state and a
 * command to the next state and the command's result. The store never looks
 * inside S, C or R; it only keeps them.
 */
export interface Reducer<S, C, R> {
  apply(state: S, cmd: C): { state: S; result: R };
}
