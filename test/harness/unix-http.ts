import { Agent, request } from "node:http";

export interface UnixResponse {
  status: number;
  body: string;
}

/** An HTTP/1.1 request over a Unix socket (keep-alive when an agent is given). */
export function unixRequest(socketPath: string, path: string, options: { agent?: Agent; headers?: Record<string, string> } = {}): Promise<UnixResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { host: "lsky.test", ...options.headers }, agent: options.agent ?? false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.once("error", reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer on ${socketPath}`)));
    req.once("error", reject);
    req.end();
  });
}
