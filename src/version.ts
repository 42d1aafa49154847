/** lsky's version; kept equal to package.json by src/version.test.ts. */
export const VERSION = "0.1.0";
