// node validate.mjs [rendered.yaml [objects.json]]
// Validates rendered manifests (multi-document YAML, from the file or stdin) against the
// Kubernetes schemas in kubernetes-models: wrong types, bad enums and missing required fields
// fail (the schemas allow unknown fields, so those pass). Writes the objects as one JSON array
// (to the second file, or stdout) for further checks; exits 1 on any error.
import { readFile, writeFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";

const [input, output] = process.argv.slice(2);
let text;
if (input) {
  text = await readFile(input, "utf8");
} else {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  text = Buffer.concat(chunks).toString("utf8");
}

const documents = parseAllDocuments(text);

const objects = [];
const errors = [];
for (const document of documents) {
  if (document.errors.length > 0) {
    errors.push(...document.errors.map((e) => `YAML: ${e.message}`));
    continue;
  }

  const object = document.toJS();
  if (object === null) continue;
  const where = `${object.kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  const apiVersion = String(object.apiVersion ?? "");
  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    errors.push(`${where}: unknown apiVersion ${apiVersion}`);
    continue;
  }

  const Model = module[object.kind];
  if (typeof Model !== "function") {
    errors.push(`${where}: unknown kind ${object.kind} in ${apiVersion}`);
    continue;
  }

  try {
    new Model(object).validate();
  } catch (error) {
    errors.push(`${where}: ${error.message}`);
  }

  objects.push(object);
}

if (errors.length > 0) {
  for (const error of errors) console.error(error);
  process.exit(1);
}

if (output) {
  await writeFile(output, JSON.stringify(objects));
} else {
  process.stdout.write(JSON.stringify(objects));
}
