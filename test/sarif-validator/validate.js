#!/usr/bin/env node
// Validates each SARIF file given on the command line against the official SARIF 2.1.0 schema
// and against the parts of GitHub code scanning's ingestion rules that the schema cannot express.
// Exits 1 on the first file with a violation, printing every violation found in it.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schemaPath = path.join(__dirname, 'node_modules', '@microsoft', 'jest-sarif', 'lib',
                             'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// The schema's language-tag pattern is not valid under the /u flag.
const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false});
addFormats(ajv);
const validate = ajv.compile(schema);

function codeScanningViolations(log) {
  const problems = [];
  if (log.runs.length !== 1) problems.push(`expected exactly one run, found ${log.runs.length}`);
  for (const run of log.runs) {
    const rules = run.tool.driver.rules || [];
    rules.forEach((rule, i) => {
      for (const field of ['shortDescription', 'fullDescription', 'help']) {
        if (!rule[field] || !rule[field].text) problems.push(`rules[${i}] (${rule.id}) lacks ${field}.text`);
      }
      if (!rule.helpUri) problems.push(`rules[${i}] (${rule.id}) lacks helpUri`);
    });
    const bases = run.originalUriBaseIds || {};
    for (const [name, base] of Object.entries(bases)) {
      if (base.uri && !base.uri.endsWith('/')) problems.push(`originalUriBaseIds.${name} must end in '/'`);
    }
    (run.results || []).forEach((result, i) => {
      if (!result.ruleId) problems.push(`results[${i}] lacks ruleId`);
      if (rules.length && (result.ruleIndex === undefined || rules[result.ruleIndex].id !== result.ruleId))
        problems.push(`results[${i}] ruleIndex does not point at ${result.ruleId}`);
      const loc = (result.locations || [])[0];
      const art = loc && loc.physicalLocation && loc.physicalLocation.artifactLocation;
      if (!art) problems.push(`results[${i}] has no primary physical location`);
      else {
        if (/^[a-z]+:/i.test(art.uri) || art.uri.startsWith('/')) problems.push(`results[${i}] uri is not relative: ${art.uri}`);
        if (!art.uriBaseId || !(art.uriBaseId in bases)) problems.push(`results[${i}] uriBaseId is not declared`);
      }
      if (result.partialFingerprints && 'primaryLocationLineHash' in result.partialFingerprints)
        problems.push(`results[${i}] must not set primaryLocationLineHash`);
      if (result.suppressions) problems.push(`results[${i}] carries suppressions (GitHub ignores them)`);
    });
    if (!run.invocations || run.invocations.length === 0) problems.push('run lacks invocations');
  }
  return problems;
}

let failed = false;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate.js <file.sarif>...');
  process.exit(2);
}
for (const file of files) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: not JSON: ${e.message}`);
    failed = true;
    continue;
  }
  const problems = [];
  if (!validate(log)) {
    for (const err of validate.errors) problems.push(`schema: ${err.instancePath || '/'} ${err.message}`);
  } else {
    problems.push(...codeScanningViolations(log));
  }
  if (problems.length) {
    failed = true;
    for (const p of problems) console.error(`${file}: ${p}`);
  } else {
    console.log(`${file}: valid SARIF 2.1.0`);
  }
}
process.exit(failed ? 1 : 0);
