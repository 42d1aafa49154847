/** A scheduled job as workers report it to the supervisor: plain data, no function. */
export interface JobSpec {
  name: string;
  /** Interval in ms (`every`), or absent for a cron job. */
  every?: number;
  cron?: string;
  timezone?: string;
  overlap: boolean;
  /** Ms after which a run counts as failed and its signal aborts; absent: no limit. */
  timeout?: number;
}
