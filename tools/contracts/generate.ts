/**
 * `npm run contracts:generate`: writes the contract documents other teams read (one JSON Schema
 * per event, and asyncapi.yaml) into libs/contracts. libs/contracts builds them; this script
 * only serializes and writes them, and removes the schema files of contracts that are gone.
 * libs/contracts/src/documents/documents.spec.ts fails while the written files are stale.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { CONTRACT_DOCUMENT_PATHS, contractDocuments } from '@focus/contracts';

const libraryRoot = resolve(__dirname, '../../libs/contracts');

const YAML_HEADER = '# Generated from libs/contracts by `npm run contracts:generate`; do not edit.\n';

function main(): void {
  const documents = contractDocuments();
  const schemasDir = resolve(libraryRoot, CONTRACT_DOCUMENT_PATHS.schemasDir);
  mkdirSync(schemasDir, { recursive: true });
  for (const file of readdirSync(schemasDir)) {
    if (file.endsWith('.schema.json') && !(file in documents.schemas)) rmSync(resolve(schemasDir, file));
  }
  for (const [file, schema] of Object.entries(documents.schemas)) {
    writeFileSync(resolve(schemasDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  }
  // YAML 1.1 rules quote what a 1.1 reader would take for a date or a boolean ("2018-12-31"),
  // so every reader sees strings; no folding and no anchors keep diffs readable.
  const yaml = stringify(documents.asyncapi, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
  writeFileSync(resolve(libraryRoot, CONTRACT_DOCUMENT_PATHS.asyncapi), YAML_HEADER + yaml);
  console.log(
    `contracts: wrote ${Object.keys(documents.schemas).length} JSON Schemas and ${CONTRACT_DOCUMENT_PATHS.asyncapi} in libs/contracts`,
  );
}

main();
