import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_PARAM_LENGTH } from '../../src/http/http-adapter';
import { MAX_JSON_DEPTH } from '../../src/user-sync/auth/json-body';
import { IDENTITY_LIMITS } from '../../src/user-sync/identity/identity-rules';
import { MAPPING_BUDGETS } from '../../src/user-sync/mapping/mapping.service';
import { MAX_FILTER_LENGTH } from '../../src/user-sync/scim/scim-filter';
import { MAX_OPERATIONS } from '../../src/user-sync/scim/scim-patch-ops';
import { MAX_COUNT } from '../../src/user-sync/scim/scim.service';

const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function files(dir: string, suffixes: string[], out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) files(path, suffixes, out);
    else if (suffixes.some((suffix) => name.endsWith(suffix))) out.push(path);
  }
  return out;
}

/** Every markdown file people read: the README, docs/, the package's own. */
const MARKDOWN = ['README.md', ...files('docs', ['.md']), 'packages/nestjs/README.md', 'packages/nestjs/CHANGELOG.md'];

/** Markdown outside code fences, inline code spans blanked (a link shown as code is not a link). */
function prose(markdown: string): string {
  return markdown
    .split(/^```.*$/m)
    .filter((_, index) => index % 2 === 0)
    .join('\n')
    .replace(/`[^`\n]*`/g, '``');
}

/** A heading's text as written, backticks dropped. */
function headings(markdown: string): string[] {
  return [...prose(markdown.replace(/`/g, '')).matchAll(/^#{1,6} (.+?)\s*$/gm)].map((match) => match[1]);
}

/** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const heading of headings(markdown)) {
    const slug = heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count ? `${slug}-${count}` : slug);
  }
  return found;
}

describe('Docs: every link, anchor and section reference resolves; documented limits are the code’s', () => {
  it('every relative link in README.md, docs/ and the package’s README names a file that exists, and its #anchor a heading there', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of MARKDOWN) {
      for (const [, target] of prose(read(file)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^(https?|mailto):/.test(target)) continue;
        checked++;
        const [path, anchor] = target.split('#', 2);
        const resolved = path ? relative(ROOT, join(ROOT, dirname(file), decodeURIComponent(path))) : file;
        if (resolved.startsWith('..') || !existsSync(join(ROOT, resolved))) broken.push(`${file}: ${target} (no file ${resolved})`);
        else if (anchor !== undefined && !(resolved.endsWith('.md') && anchors(read(resolved)).has(anchor))) broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
    assert.ok(checked > 30, `links found: ${checked}`);
    assert.deepEqual(broken, []);
  });

  it('every quoted section reference (README "…", docs/x.md, "…") in the code and the docs names a heading of that file', () => {
    const sources = [...MARKDOWN, ...files('src', ['.ts']), ...files('web/admin/src', ['.ts', '.tsx']), ...files('scripts', ['.js']), ...files('bench', ['.ts', '.js'])];
    const broken: string[] = [];
    let checked = 0;
    for (const file of sources) {
      for (const [, target, section] of read(file).matchAll(/\b(README|docs\/[\w-]+\.md)(?:\.md)?,? [“"]([^”"\n]+)[”"]/g)) {
        checked++;
        const markdown = target === 'README' ? 'README.md' : target;
        if (!existsSync(join(ROOT, markdown)) || !headings(read(markdown)).includes(section)) broken.push(`${file}: ${target} "${section}"`);
      }
    }
    assert.ok(checked > 5, `references found: ${checked}`);
    assert.deepEqual(broken, []);
  });

  it('the limits the docs state are the ones the code enforces', () => {
    const number = (text: string) => Number(text.replace(/,/g, ''));
    const LIMITS: Array<[file: string, sentence: RegExp, value: number]> = [
      ['docs/connectors.md', /Budgets \(values of at most ([\d,]+) characters/, MAPPING_BUDGETS.valueLength],
      ['docs/connectors.md', /lists of at most ([\d,]+),/, MAPPING_BUDGETS.listLength],
      ['docs/connectors.md', /lists of at most [\d,]+, ([\d,]+) characters/, MAPPING_BUDGETS.totalCharacters],
      ['docs/connectors.md', /characters and (\d+) ms per login/, MAPPING_BUDGETS.milliseconds],
      ['docs/how-it-works.md', /every value ≤ ([\d,]+) characters/, MAPPING_BUDGETS.valueLength],
      ['docs/how-it-works.md', /lists ≤ ([\d,]+) values/, MAPPING_BUDGETS.listLength],
      ['docs/how-it-works.md', /≤ ([\d,]+) characters produced/, MAPPING_BUDGETS.totalCharacters],
      ['docs/how-it-works.md', /characters produced, ≤ (\d+) ms/, MAPPING_BUDGETS.milliseconds],
      ['docs/how-it-works.md', /nested at most (\d+) levels/, MAX_JSON_DEPTH],
      ['docs/how-it-works.md', /a path parameter over ([\d,]+) characters/, MAX_PARAM_LENGTH],
      ['README.md', /longer than ([\d,]+) characters \(never cut\)/, IDENTITY_LIMITS.primaryKey],
      ['README.md', /longer than ([\d,]+) characters, or a key longer than/, IDENTITY_LIMITS.name],
      ['README.md', /or a key longer than ([\d,]+)/, IDENTITY_LIMITS.name],
      ['README.md', /over ([\d,]+) \/ [\d,]+ \/ [\d,]+ characters/, IDENTITY_LIMITS.displayName],
      ['README.md', /over [\d,]+ \/ ([\d,]+) \/ [\d,]+ characters/, IDENTITY_LIMITS.email],
      ['README.md', /over [\d,]+ \/ [\d,]+ \/ ([\d,]+) characters/, IDENTITY_LIMITS.attribute],
      ['README.md', /attributes over ([\d,]+) bytes in all/, IDENTITY_LIMITS.attributesBytes],
      ['docs/scim.md', /At most ([\d,]+) operations a request/, MAX_OPERATIONS],
      ['docs/scim.md', /scim2-parse-filter, at most ([\d,]+) characters/, MAX_FILTER_LENGTH],
      ['docs/scim.md', /below 0 reads as 0, at most ([\d,]+)\)/, MAX_COUNT],
    ];
    const wrong: string[] = [];
    for (const [file, sentence, value] of LIMITS) {
      const text = read(file).replace(/\s+/g, ' ').replace(/`/g, '');
      const found = sentence.exec(text);
      if (!found) wrong.push(`${file}: no sentence ${sentence}`);
      else if (number(found[1]) !== value) wrong.push(`${file}: ${found[0]} says ${found[1]}, the code ${value}`);
    }
    assert.deepEqual(wrong, []);
  });
});
