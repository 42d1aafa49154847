// mime-db ships JSON without declarations; only the fields lsky reads.
declare module "mime-db" {
  interface MimeEntry {
    source?: "iana" | "apache" | "nginx";
    charset?: string;
    extensions?: string[];
  }
  const db: Record<string, MimeEntry>;
  export default db;
}
