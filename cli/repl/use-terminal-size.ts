/** The terminal's size, following resizes. */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { ScreenSize } from './screen-layout.js';

export function useTerminalSize(onResize?: (size: ScreenSize) => void): ScreenSize {
  const { stdout } = useStdout();
  const read = (): ScreenSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const resized = () => {
      const s = read();
      setSize(s);
      onResize?.(s);
    };
    stdout.on('resize', resized);
    return () => void stdout.off('resize', resized);
  }, [stdout]);
  return size;
}
