/**
 * Connects the controller to Ink: keys go to it, every change it reports
 * renders a new frame, and once it quits, the app exits after the frame
 * without the live area is drawn (so the terminal keeps the transcript, not
 * a stale prompt).
 */
import { useApp, useInput } from 'ink';
import { useEffect, useReducer } from 'react';
import type { ReplController } from './repl-controller.js';

export function useRepl(controller: ReplController): void {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const { exit } = useApp();
  useEffect(() => {
    controller.onChange = rerender;
    return () => {
      controller.onChange = () => {};
    };
  }, [controller]);
  useEffect(() => {
    if (controller.quitting) exit();
  }, [controller.quitting, exit]);
  useInput((input, key) => controller.key(input, key), { isActive: !controller.quitting });
}
