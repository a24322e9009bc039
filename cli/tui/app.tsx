/**
 * The Ink terminal UI: topology (top left), event list (top right), detail (bottom), a
 * status bar. Sizes come from the terminal and follow a resize; every line is cut to its
 * pane, so nothing wraps and the frame never grows past the screen (80x24 and up).
 * State lives in the pure reducer of ./state.ts; this component maps keys and a timer to
 * its actions.
 */
import { useEffect, useReducer, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { RunResult, Scenario, SimEvent } from '../../sim/index.js';
import { HELP, SPEEDS, initialState, reduce, reduceKey } from './state.js';
import type { KeyPress, TuiAction, TuiState } from './state.js';
import { detailLines, eventLines, statusLine, topologyLines } from './view.js';
import type { Line } from './view.js';
import { printable } from '../printable.js';

export interface TuiProps {
  readonly scenario: Scenario;
  readonly result: RunResult;
  readonly events: readonly SimEvent[];
  /** Fixed size (tests); default: the terminal's, following resizes. */
  readonly size?: { readonly columns: number; readonly rows: number };
}

const COLOR: Record<NonNullable<Line['tone']>, { color?: string; dimColor?: boolean; bold?: boolean; inverse?: boolean }> = {
  drop: { color: 'red', bold: true },
  ok: { color: 'green' },
  internet: { color: 'cyan' },
  fault: { color: 'yellow' },
  dim: { dimColor: true },
  title: { bold: true },
  selected: { inverse: true },
};

function useTerminalSize(fixed?: { columns: number; rows: number }): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: Math.max(80, stdout.columns || 80), rows: Math.max(24, stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

function Pane(props: { title: string; width: number; height: number; lines: readonly Line[]; selectedRow?: number }) {
  // The first inner row is the pane's title; the rest are its lines.
  const inner = props.height - 3;
  const rows = props.lines.slice(0, inner);
  return (
    <Box flexDirection="column" width={props.width} height={props.height} borderStyle="single" overflow="hidden">
      <Text wrap="truncate" bold underline>{props.title}</Text>
      {rows.map((l, k) => (
        <Text key={k} wrap="truncate" {...(l.tone ? COLOR[l.tone] : {})} inverse={k === props.selectedRow}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}

export function TuiApp(props: TuiProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize(props.size);
  const [st, dispatch] = useReducer(
    (s: TuiState, a: TuiAction | { type: 'key'; input: string; key: KeyPress }) => (a.type === 'key' ? reduceKey(s, a.input, a.key) : reduce(s, a)),
    undefined,
    () => initialState(props.events, props.scenario.traffic.map((f) => f.id)),
  );

  // Keys go to the reducer raw, so they are read in the mode the state is in now.
  useInput((input, key) => dispatch({ type: 'key', input, key }));
  useEffect(() => {
    if (st.quit) exit();
  }, [st.quit, exit]);
  useEffect(() => {
    if (!st.playing) return;
    const id = setInterval(() => dispatch({ type: 'tick' }), 1000 / SPEEDS[st.speed]!);
    return () => clearInterval(id);
  }, [st.playing, st.speed]);

  const detailH = Math.max(9, Math.floor((rows - 1) * 0.4));
  const topH = rows - 1 - detailH;
  const topoW = Math.max(26, Math.floor(columns * 0.32));
  const eventsW = columns - topoW;
  const title = printable(`vgw tui: ${props.scenario.name}`);

  const status = statusLine(st, SPEEDS);
  if (st.mode === 'help') {
    const help: Line[] = [
      { text: 'Keys', tone: 'title' },
      ...HELP.map(([k, d]) => ({ text: `  ${k.padEnd(12)} ${d}` })),
      { text: '' },
      { text: 'Drops are red; select one to read its reason explained in the detail pane.', tone: 'dim' },
      { text: 'Also: vgw explain REASON, vgw lab list.', tone: 'dim' },
    ];
    return (
      <Box flexDirection="column" width={columns} height={rows}>
        <Pane title={`help: ${title}`} width={columns} height={rows - 1} lines={help} />
        <Text wrap="truncate">{status}</Text>
      </Box>
    );
  }
  const ev = eventLines(st, eventsW - 2, topH - 3);
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Box flexDirection="row" height={topH}>
        <Pane title="topology" width={topoW} height={topH} lines={topologyLines(props.scenario, props.result, st, topoW - 2)} />
        <Pane title={st.filter ? printable(`events: flow ${st.filter}`) : 'events'} width={eventsW} height={topH} lines={ev.lines} selectedRow={ev.selectedRow} />
      </Box>
      <Pane title="detail" width={columns} height={detailH} lines={detailLines(st, columns - 2)} />
      <Text wrap="truncate">{status}</Text>
    </Box>
  );
}
