/** lsky's version; kept equal to package.json by test/unit (version.test.ts). */
export const VERSION = "0.1.0";
