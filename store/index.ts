/** The event store: history, diffs, journal and the session actor. */
export type { Reducer } from './reducer.js';
export type { HistoryEvent } from './event.js';
export {
  History,
  noSuchEvent,
  type Appended,
  type GotoResult,
  type HistoryOptions,
  type MoveKind,
  type Moved,
  type NoSuchEvent,
} from './history.js';
export type { Branch, HistoryListing, ListEntry, ListOptions, SeqRange } from './listing.js';
export { changedFields, diffEvents, diffVmas, type VmaChange, type VmaDiff, type VmaField } from './diff.js';
export { JournalWriteError, type JournalOp } from './journal-error.js';
export { JOURNAL_FORMAT, JOURNAL_VERSION, type EventRecord, type HeaderRecord, type JournalRecord, type MoveRecord } from './journal-format.js';
export { nodeJournalFs, type JournalFs } from './journal-fs.js';
export {
  JournalWriter,
  describeResume,
  resumeJournal,
  scanJournal,
  type Damage,
  type Drift,
  type JournalOptions,
  type JournalScan,
  type JournalSink,
  type ReplayHandlers,
  type ResumeOptions,
  type ResumeReport,
  type ResumeStatus,
} from './journal.js';
export { resumeHistory, type ParseCommand, type ResumeHistoryOptions } from './resume.js';
export { commitAppend, commitMove, type CommitFailure, type MoveRequest } from './commit.js';
export {
  createSessionMachine,
  refusal,
  type SessionContext,
  type SessionEvent,
  type SessionInput,
  type SessionMachine,
  type SessionOutcome,
} from './session-machine.js';
