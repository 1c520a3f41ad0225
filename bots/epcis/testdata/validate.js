// Validates EPCIS 2.0 JSON documents against GS1's JSON Schema (draft-07)
// with Ajv 8 and ajv-formats, as GS1's own validate.sh does. The Go test
// that runs it installs ajv and ajv-formats and passes NODE_PATH.
//
//   node validate.js SCHEMA DOCUMENT...
//
// Prints each invalid document's errors and exits 1 if any is invalid.
"use strict";
const fs = require("fs");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const [schemaPath, ...docs] = process.argv.slice(2);
if (!schemaPath || docs.length === 0) {
  console.error("usage: node validate.js SCHEMA DOCUMENT...");
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));

let failed = false;
for (const doc of docs) {
  if (validate(JSON.parse(fs.readFileSync(doc, "utf8")))) {
    console.log(`${doc}: valid`);
    continue;
  }
  failed = true;
  console.log(`${doc}: INVALID`);
  for (const e of validate.errors) {
    console.log(`  ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(failed ? 1 : 0);
