/**
 * What the store needs from a model: a pure function from a state and a
 * command to the next state and the command's result. The store never looks
 * inside S, C or R; it only keeps them.
 */
export interface Reducer<S, C, R> {
  /**
   * `us`, when given, is what computing the result cost in microseconds (a
   * result computed earlier and handed back): the history decides from it
   * whether to keep the state or rebuild it when asked (state-keeper.ts).
   */
  apply(state: S, cmd: C): { state: S; result: R; us?: number };
}
