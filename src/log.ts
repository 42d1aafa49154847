/**
 * The supervisor's and CLI's own output. Worker output is relayed line by line
 * (supervisor/log-lines.ts); these are lsky's own lines.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const PREFIX = "[lsky]";

export const logger: Logger = {
  info: (message) => void process.stdout.write(`${PREFIX} ${message}\n`),
  warn: (message) => void process.stderr.write(`${PREFIX} warning: ${message}\n`),
  error: (message) => void process.stderr.write(`${PREFIX} error: ${message}\n`),
};
