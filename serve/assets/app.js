// The case form and the profile form: generated from their schemas, checked by the server as
// they are typed, with a preview drawn by the same engine that makes the PDFs. A draft of an
// unsaved case is kept beside the case file on the server, never in the browser. No build step,
// no library: what runs here is what is written here.
'use strict';

const state = {
  schemas: {},       // 'arende' and 'profil': the schema each form is generated from
  mode: 'arende',    // which form is open
  documents: {},     // token -> the document's name
  profiles: [],      // every profile a case may name: {reference, origin, title}
  name: null,        // the file's name in the folder (for a profile from elsewhere, its path)
  origin: null,      // for a profile: inbyggd, mappen or tillaten_mapp
  version: null,     // the file's version when opened or saved; null for a new file
  doc: null,         // the case or profile as JSON, every key the file has
  dirty: false,
  seq: 0,            // the newest check asked for
  shown: 0,          // the newest check shown
  inFlight: false,   // a check is on its way; the next waits for it
  again: false,      // a change came while a check was on its way
  previewDoc: null,  // the document the user chose to preview
  lastSection: null, // the section edited last
  urls: [],          // object URLs of the preview's pages
  timer: null,
  draftTimer: null,
  marked: [],        // the problem lists and fields the last check marked
  size: 0,           // the case's size as JSON at the last check, for how long to wait
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// The session's secret: handed over once in the address's fragment after the token, kept in
// sessionStorage (this origin and port only, this tab only) and sent on every call. A cookie
// alone opens nothing: another program on 127.0.0.1 may be sent the cookie, never this header.
const SECRET_KEY = 'lexsarah-nyckel';
(function takeSecret() {
  const match = /^#nyckel=([0-9a-f]{64})$/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(SECRET_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname);
  }
})();

async function api(path, body, extra) {
  const headers = { 'X-Lexsarah-Nyckel': sessionStorage.getItem(SECRET_KEY) || '' };
  const init = body === undefined ? { headers } : {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(extra || {}),
  };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || `Servern svarade ${response.status}.`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function notify(text, kind) {
  const box = $('notice');
  box.className = kind || 'info';
  box.textContent = text;
}

const lower = (text) => text.charAt(0).toLowerCase() + text.slice(1);

// ---- The schema ------------------------------------------------------------------------------

function schemaRoot() {
  return state.schemas[state.mode];
}

function resolve(schema) {
  for (let i = 0; i < 8 && schema; i++) {
    if (schema.$ref) {
      schema = schemaRoot().$defs[schema.$ref.replace('#/$defs/', '')];
    } else if (schema.anyOf) {
      schema = schema.anyOf.find((s) => s.type !== 'null') || schema;
      if (!schema.$ref && !schema.anyOf) break;
    } else break;
  }
  return schema || {};
}

function types(schema) {
  return [].concat(schema.type || []);
}

function optional(schema) {
  return !!(schema.anyOf && schema.anyOf.some((s) => s.type === 'null')) || types(schema).includes('null');
}

// A description split into a label (its first sentence, a question keeping its question mark)
// and the help that follows. "(kan utelämnas)" is the form's to say, once, so it is taken out.
function words(schema, key) {
  const text = (schema.description || key).replace(/\s*\(kan utelämnas\)/g, '').replace(/\s+/g, ' ').trim();
  const match = /([.;:?])(\s|$)/.exec(text);
  // A question followed by another ("… tidigare? I så fall, varför …?") is one label.
  const twoQuestions = match && match[1] === '?' && /\?$/.test(text.slice(match.index + 1).trim());
  if (match && match.index > 0 && !twoQuestions) {
    const label = text.slice(0, match.index) + (match[1] === '?' ? '?' : '');
    let help = text.slice(match.index + 1).trim();
    // A yes/no question's choices say it already.
    if (/^ja eller nej\.?$/i.test(help)) help = '';
    return { label, help: help.charAt(0).toUpperCase() + help.slice(1) };
  }
  return { label: text.replace(/[.;:]$/, ''), help: '' };
}

// What is said after a label: required by a föreskrift (a warning in check, optional in the
// schema), may be left out, or nothing for a required field.
function requirement(schema, required) {
  if (schema['x-kravs']) return { text: ` (krävs enligt ${schema['x-kravs']})`, cls: 'required-by' };
  if (!required) return { text: ' (kan utelämnas)', cls: 'optional' };
  return null;
}

function choices(schema) {
  const s = resolve(schema);
  const list = s.oneOf || s.anyOf;
  if (!list || !list.every((c) => c.const !== undefined)) return null;
  return list.map((c) => ({ value: c.const, label: (c.description || c.const).replace(/\.$/, '') }));
}

// ---- The document as JSON ----------------------------------------------------------------------

function getAt(path) {
  let value = state.doc;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[part];
  }
  return value;
}

function setAt(path, value) {
  let node = state.doc;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i];
    if (node[part] === null || typeof node[part] !== 'object') {
      node[part] = typeof path[i + 1] === 'number' ? [] : {};
    }
    node = node[part];
  }
  const last = path[path.length - 1];
  if ((value === '' || value === null || value === undefined) && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  changed(path);
}

// How long the form waits after the last key before it asks for a check: longer for a larger
// case, so that writing its JSON never falls between two keys.
function pause() {
  return 300 + Math.min(1700, Math.floor(state.size / 8000));
}

function changed(path) {
  state.dirty = true;
  if (path.length > 0 && state.documents[path[0]] !== undefined) state.lastSection = path[0];
  $('save').disabled = false;
  clearTimeout(state.timer);
  state.timer = setTimeout(check, pause());
  if (state.mode === 'arende') {
    clearTimeout(state.draftTimer);
    state.draftTimer = setTimeout(keepDraft, pause() + 1500);
  }
}

// A text longer than this (about 30 pages) is not held in a text box until it is to be changed.
const HUGE_TEXT = 100000;

const key = (path) => path.join('.');
const fieldId = (path) => 'f-' + path.join('-');

// ---- The form ----------------------------------------------------------------------------------

function build() {
  const form = $('form');
  form.replaceChildren();
  state.marked = [];
  if (!state.doc) return;
  const root = schemaRoot();
  const fields = el('div', { class: 'fields' });
  for (const [name, schema] of Object.entries(root.properties)) {
    // The format's version is for the program, not a question for the person filling in.
    if (name === 'version') continue;
    fields.append(...field([name], schema, (root.required || []).includes(name)));
  }
  form.append(fields);
  form.classList.toggle('large', form.querySelectorAll('.row').length > 200 || state.size > 1000000);
  requestAnimationFrame(() => form.querySelectorAll('textarea').forEach(fit));
  const known = new Set(Object.keys(root.properties));
  const unknown = Object.keys(state.doc).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    form.append(el('div', { class: 'field unknown wide', 'data-path': '' },
      el('p', { text: `Filen har också nycklar som formuläret inte känner till (${unknown.join(', ')}). De sparas som de är; se felen ovan.` })));
  }
}

// A field, with the paper form's heading before it where the schema gives one: one or two
// nodes for the grid of fields.
function field(path, schema, required) {
  const node = fieldNode(path, schema, required);
  if (!schema['x-rubrik']) return [node];
  return [el('h4', { class: 'paper-heading wide', text: schema['x-rubrik'] }), node];
}

function fieldNode(path, schema, required) {
  const s = resolve(schema);
  const { label, help } = words(schema.description ? schema : s, path[path.length - 1]);
  const value = getAt(path);
  if (s.properties) return section(path, s, label, help, required, schema);
  if (types(s).includes('array')) return list(path, s, label, help);
  const wrap = el('div', { class: 'field', 'data-path': key(path) });
  const id = fieldId(path);
  const options = choices(schema);
  const after = requirement(schema, required);
  if (options || types(s).includes('boolean')) {
    const all = options || [{ value: true, label: 'Ja' }, { value: false, label: 'Nej' }];
    if (optional(schema) || !required) all.push({ value: null, label: 'Inte angivet' });
    // Long choices (the five outcomes) take the whole width, one under the other.
    const long = all.some((c) => c.label.length > 28) || all.length > 4;
    wrap.classList.add(long ? 'wide' : 'short');
    const group = el('fieldset', { class: long ? 'choices stacked' : 'choices', 'aria-describedby': id + '-problems' },
      el('legend', { title: key(path) }, label, after ? el('span', { class: after.cls, text: after.text }) : null));
    all.forEach((choice, index) => {
      const input = el('input', {
        type: 'radio', name: key(path), id: `${id}-${index}`, value: String(choice.value),
        checked: (value === undefined ? null : value) === choice.value,
        onchange: () => setAt(path, choice.value),
      });
      group.append(el('label', { for: `${id}-${index}`, class: 'choice' }, input, el('span', { text: choice.label })));
    });
    wrap.append(group);
  } else {
    wrap.append(el('label', { for: id, title: key(path) }, label, after ? el('span', { class: after.cls, text: after.text }) : null));
    let input;
    const text = value === undefined || value === null ? '' : String(value);
    const number = types(s).includes('integer') && !types(s).includes('string');
    if (s['x-flerradig'] && text.length > HUGE_TEXT) {
      // A text of a book's length held in a text box slows every key typed anywhere on the
      // page: it is shown by its beginning, and put in a box only when it is to be changed.
      wrap.classList.add('wide', 'text');
      wrap.append(el('label', { for: `${id}-show`, title: key(path) }, label, after ? el('span', { class: after.cls, text: after.text }) : null));
      const shown = el('div', { class: 'huge-text', id: `${id}-summary` },
        el('p', { class: 'help', text: `Texten är ${text.length.toLocaleString('sv-SE')} tecken lång. Formuläret visar dess början, så att det går lika snabbt att skriva i de andra fälten:` }),
        el('blockquote', { text: text.slice(0, 400) + ' …' }),
        el('button', {
          type: 'button', id: `${id}-show`, text: 'Visa hela texten för att ändra den',
          onclick: () => {
            const box = el('textarea', { id, rows: 3, class: 'huge', 'aria-describedby': `${id}-help ${id}-problems` });
            box.value = String(getAt(path) ?? '');
            box.addEventListener('input', () => setAt(path, box.value));
            shown.replaceWith(box);
            box.focus();
          },
        }));
      wrap.append(shown);
      if (help) wrap.append(el('p', { class: 'help', id: `${id}-help`, text: help }));
      wrap.append(el('ul', { class: 'problems', id: `${id}-problems` }));
      return wrap;
    }
    if (s['x-flerradig']) {
      wrap.classList.add('wide', 'text');
      // A long text keeps a fixed box that scrolls: sizing the box to it would measure all of
      // it again whenever the page moves.
      input = el('textarea', { id, rows: 3, class: text.length > 20000 ? 'huge' : null });
      input.value = text;
    } else if (s.format === 'date') {
      // ÅÅÅÅ-MM-DD whatever the browser's language: a date picker would follow its locale.
      wrap.classList.add('short', 'date');
      input = el('input', {
        id, type: 'text', value: text, inputmode: 'numeric', maxlength: 10, size: 12,
        placeholder: 'ÅÅÅÅ-MM-DD', pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', autocomplete: 'off',
      });
    } else if (number) {
      wrap.classList.add('short');
      input = el('input', { id, type: 'number', min: s.minimum, value: text });
    } else {
      // A long label, a value that may run to a sentence (a rubrik) or one that already does
      // takes the whole width, so that what is written shows whole.
      const long = label.length > 70 || (s.maxLength || 0) >= 250 || text.length > 30;
      wrap.classList.add(long ? 'wide' : 'short');
      input = el('input', { id, type: 'text', value: text, maxlength: s.maxLength });
    }
    input.addEventListener('input', () => {
      if (number && input.value !== '' && Number.isInteger(Number(input.value))) setAt(path, Number(input.value));
      else setAt(path, input.value);
    });
    if (input.tagName === 'TEXTAREA') input.addEventListener('input', () => fit(input));
    input.setAttribute('aria-describedby', `${id}-help ${id}-problems`);
    wrap.append(input);
  }
  if (help) wrap.append(el('p', { class: 'help', id: `${id}-help`, text: help }));
  wrap.append(el('ul', { class: 'problems', id: `${id}-problems` }));
  return wrap;
}

// Whether the browser sizes a text box to its text itself (CSS `field-sizing`), without the
// page being laid out again from a script at every key.
const SIZES_ITSELF = window.CSS && CSS.supports('field-sizing', 'content');

// A text box as tall as its text, so that nothing typed hides behind a scroll bar.
function fit(textarea) {
  if (SIZES_ITSELF) return;
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, window.innerHeight * 0.7)}px`;
}

// A group of fields: a top-level section folds (showing how many problems it holds), a nested
// one is a framed group; either lays its short fields side by side and its texts full width.
function section(path, s, label, help, required, schema) {
  const present = getAt(path) !== undefined && getAt(path) !== null;
  const top = path.length === 1;
  const box = el(top ? 'section' : 'fieldset', { class: top ? 'part wide' : 'subgroup wide', 'data-path': key(path), id: fieldId(path) });
  const after = requirement(schema, required);
  const named = [label, after && !top ? el('span', { class: after.cls, text: after.text }) : null];
  if (!present && !required) {
    box.classList.add('absent');
    box.append(top ? el('h3', { text: label, title: key(path) }) : el('legend', { title: key(path) }, ...named));
    if (help) box.append(el('p', { class: 'help', text: help }));
    box.append(el('button', {
      type: 'button', class: 'add', id: `${fieldId(path)}-add`, text: 'Lägg till',
      'aria-label': `Lägg till ${lower(label)}`,
      onclick: () => { setAt(path, {}); build(); focusFirst(path); },
    }));
    box.append(el('ul', { class: 'problems', id: `${fieldId(path)}-problems` }));
    return box;
  }
  let body = box;
  if (top) {
    const details = el('details', { open: true },
      el('summary', {}, el('h3', { text: label, title: key(path) }), el('span', { class: 'count', 'aria-live': 'polite' })));
    box.append(details);
    body = details;
  } else {
    box.append(el('legend', { title: key(path) }, ...named));
  }
  if (help) body.append(el('p', { class: 'help', text: help }));
  body.append(el('ul', { class: 'problems', id: `${fieldId(path)}-problems` }));
  const needed = s.required || [];
  const fields = el('div', { class: 'fields' });
  for (const [name, child] of Object.entries(s.properties)) {
    fields.append(...field(path.concat(name), child, needed.includes(name)));
  }
  body.append(fields);
  if (!required) {
    body.append(el('button', {
      type: 'button', class: 'remove', text: 'Ta bort', 'aria-label': `Ta bort ${lower(label)}`,
      onclick: () => {
        const filled = JSON.stringify(getAt(path) || {}) !== '{}';
        if (filled && !window.confirm(`Ta bort allt som står under "${label}"?`)) return;
        setAt(path, null);
        build();
      },
    }));
  }
  return box;
}

function list(path, s, label, help) {
  const box = el('fieldset', { class: 'list wide', 'data-path': key(path), id: fieldId(path) },
    el('legend', { text: label, title: key(path) }));
  if (help) box.append(el('p', { class: 'help', text: help }));
  box.append(el('ul', { class: 'problems', id: `${fieldId(path)}-problems` }));
  const items = Array.isArray(getAt(path)) ? getAt(path) : [];
  const item = s.items || {};
  const rows = resolve(item).properties;
  items.forEach((_, index) => {
    const rowPath = path.concat(index);
    const row = el('div', { class: 'row', 'data-path': key(rowPath) });
    if (rows) {
      row.append(el('p', { class: 'row-title', text: `${index + 1}.` }));
      const needed = resolve(item).required || [];
      const fields = el('div', { class: 'fields' });
      for (const [name, child] of Object.entries(rows)) fields.append(...field(rowPath.concat(name), child, needed.includes(name)));
      row.append(fields);
    } else {
      const id = fieldId(rowPath);
      const input = el('input', { id, type: 'text', value: String(items[index] ?? ''), 'aria-label': `${label} ${index + 1}` });
      input.addEventListener('input', () => { getAt(path)[index] = input.value; changed(rowPath); });
      row.append(input, el('ul', { class: 'problems', id: `${id}-problems` }));
    }
    row.append(el('button', {
      type: 'button', class: 'remove', text: 'Ta bort', 'aria-label': `Ta bort rad ${index + 1} under ${lower(label)}`,
      onclick: () => { getAt(path).splice(index, 1); changed(path); build(); },
    }));
    box.append(row);
  });
  box.append(el('button', {
    type: 'button', class: 'add', id: `${fieldId(path)}-add`, text: 'Lägg till en rad',
    'aria-label': `Lägg till en rad under ${lower(label)}`,
    onclick: () => {
      const current = Array.isArray(getAt(path)) ? getAt(path) : [];
      current.push(rows ? {} : '');
      setAt(path, current);
      build();
      focusFirst(path.concat(current.length - 1));
    },
  }));
  return box;
}

function focusFirst(path) {
  const box = document.querySelector(`[data-path="${key(path)}"]`);
  const input = box && box.querySelector('input, textarea');
  if (input) input.focus();
}

// ---- Checks and preview ------------------------------------------------------------------------

// Asks the server to check the case (or profile) and draw its preview. One check at a time: a
// change made while one is on its way asks again when it comes back, so that a slow preview
// never queues up behind the keys.
async function check() {
  if (!state.doc) return;
  if (state.inFlight) { state.again = true; return; }
  state.inFlight = true;
  const seq = ++state.seq;
  const mode = state.mode;
  let result;
  try {
    const body = JSON.stringify(mode === 'arende'
      ? { name: state.name, case: state.doc, document: state.previewDoc || state.lastSection }
      : { name: state.name, profile: state.doc });
    state.size = body.length;
    result = await api(mode === 'arende' ? '/api/check' : '/api/profile/check', body);
  } catch (error) {
    notify(error.message, 'error');
    result = null;
  } finally {
    state.inFlight = false;
  }
  if (state.again) {
    state.again = false;
    clearTimeout(state.timer);
    state.timer = setTimeout(check, pause());
  }
  if (!result || seq < state.shown || mode !== state.mode) return;
  state.shown = seq;
  // Drawn when the browser has a moment, never between a key and its letter.
  requestAnimationFrame(() => {
    showProblems(result.problems);
    if (mode === 'arende') showDocuments(result.documents, result.preview);
    showPreview(result.preview, result.problems);
  });
}

// A message's `quoted` parts (keys, values as typed) as code, the rest as text.
function marked(text) {
  return text.split('`').map((part, index) => (index % 2 === 1 ? el('code', { text: part }) : part));
}

// The list a field's or section's own problems go in.
function problemsOf(target) {
  return target.querySelector(':scope > .problems, :scope > details > .problems');
}

function showProblems(problems) {
  // Only what the last check marked is cleared: a case of thousands of rows is not walked.
  for (const node of state.marked) {
    if (node.classList.contains('problems')) node.replaceChildren();
    node.classList.remove('has-error', 'has-warning');
    node.removeAttribute('aria-invalid');
    const count = node.querySelector && node.querySelector(':scope > details > summary > .count');
    if (count) count.textContent = '';
  }
  state.marked = [$('case-problems')];
  $('case-problems').replaceChildren();
  const perSection = {};
  for (const problem of problems) {
    let parts = problem.field ? problem.field.split('.') : [];
    let target = null;
    while (parts.length > 0 && !target) {
      target = document.querySelector(`[data-path="${CSS.escape(parts.join('.'))}"]`);
      if (!target) parts = parts.slice(0, -1);
    }
    const list_ = (target && problemsOf(target)) || $('case-problems');
    const item = el('li', { class: problem.severity, 'data-code': problem.code },
      el('span', { class: 'what' }, problem.severity === 'error' ? 'Fel: ' : 'Varning: ', ...marked(problem.message)),
      problem.hint ? el('span', { class: 'hint' }, ' Gör så här: ', ...marked(problem.hint), '.') : null);
    list_.append(item);
    state.marked.push(list_);
    if (target) {
      target.classList.add(problem.severity === 'error' ? 'has-error' : 'has-warning');
      state.marked.push(target);
      const input = target.querySelector(':scope > input, :scope > textarea');
      if (input && problem.severity === 'error') {
        input.setAttribute('aria-invalid', 'true');
        state.marked.push(input);
      }
    }
    const top = problem.field ? problem.field.split('.')[0] : '';
    if (top) {
      const counts = perSection[top] || (perSection[top] = { error: 0, warning: 0 });
      counts[problem.severity === 'error' ? 'error' : 'warning'] += 1;
    }
  }
  for (const [name, counts] of Object.entries(perSection)) {
    const part = document.querySelector(`section.part[data-path="${CSS.escape(name)}"]`);
    const badge = part && part.querySelector(':scope > details > summary > .count');
    if (!badge) continue;
    const said = [];
    if (counts.error) said.push(`${counts.error} fel`);
    if (counts.warning) said.push(`${counts.warning} ${counts.warning === 1 ? 'varning' : 'varningar'}`);
    badge.textContent = said.join(', ');
    badge.className = counts.error ? 'count errors' : 'count warnings';
    state.marked.push(part);
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary = $('summary');
  const what = state.mode === 'arende' ? 'ärendet' : 'profilen';
  if (errors === 0 && warnings === 0) {
    summary.textContent = `Inga fel: ${what} klarar kontrollen.`;
    summary.className = 'ok';
  } else {
    const parts = [];
    if (errors) parts.push(`${errors} fel`);
    if (warnings) parts.push(`${warnings} ${warnings === 1 ? 'varning' : 'varningar'}`);
    summary.replaceChildren(
      `${parts.join(' och ')}: se meddelandena vid fälten. `,
      el('button', { type: 'button', id: 'first-problem', text: errors ? 'Gå till första felet' : 'Gå till första varningen', onclick: goToFirstProblem }),
    );
    summary.className = errors ? 'errors' : 'warnings';
  }
}

// Scrolls to the first field with an error (else a warning), unfolding its section, and puts
// the cursor in it.
function goToFirstProblem() {
  const field = document.querySelector('.field.has-error, .subgroup.has-error, .list.has-error, .row.has-error')
    || document.querySelector('.has-error')
    || document.querySelector('.field.has-warning') || document.querySelector('.has-warning')
    || (document.querySelector('#case-problems li') && $('case-problems'));
  if (!field) return;
  for (let node = field; node; node = node.parentElement) {
    if (node.tagName === 'DETAILS') node.open = true;
  }
  field.scrollIntoView({ block: 'center' });
  const input = field.querySelector('input, textarea, button');
  if (input) input.focus();
}

function showDocuments(tokens, preview) {
  const select = $('preview-doc');
  const wanted = preview ? preview.document : select.value;
  select.replaceChildren(...tokens.map((token) => el('option', { value: token, text: state.documents[token] || token, selected: token === wanted })));
  select.disabled = tokens.length === 0;
}

function showPreview(preview, problems) {
  const note = $('preview-note');
  if (!preview) {
    const errors = problems.some((p) => p.severity === 'error');
    const what = state.mode === 'arende' ? 'Handlingen' : 'Ett exempel i profilens layout';
    note.textContent = state.urls.length > 0
      ? 'Förhandsvisningen visar den senaste versionen utan fel. Rätta felen så uppdateras den.'
      : errors ? `${what} visas här när det inte finns några fel.` : 'Lägg till en handling (rapport, utredning, beslut …) så visas den här.';
    return;
  }
  note.textContent = state.mode === 'profil'
    ? 'Exemplet (ett påhittat ärende) i profilens layout: beslutet och rapportens första sida.'
    : preview.total > preview.pages.length
      ? `Förhandsvisningen visar de första ${preview.pages.length} av ${preview.total} sidor; PDF:en får alla.`
      : '';
  const pages = $('pages');
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = preview.pages.map((svg) => URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
  const name = state.mode === 'profil' ? 'Exempel' : (state.documents[preview.document] || preview.document);
  pages.replaceChildren(...state.urls.map((url, index) => el('img', {
    src: url, class: 'page', alt: `${name}, sida ${index + 1} av ${preview.total}`,
  })));
  pages.dataset.document = preview.document;
  pages.dataset.version = String(state.shown);
}

// ---- Drafts ------------------------------------------------------------------------------------

// Keeps the unsaved case beside its file on the server (`<fil>.yaml.utkast`, for the user alone),
// so that a closed tab or a crashed browser loses nothing. It is sent when typing pauses.
async function keepDraft() {
  if (state.mode !== 'arende' || !state.doc || !state.dirty || !state.name) return;
  try {
    await api('/api/draft', { name: state.name, case: state.doc, version: state.version }, { keepalive: state.size < 60000 });
    $('draft-state').textContent = 'Utkastet är sparat på servern.';
  } catch (error) {
    $('draft-state').textContent = `Utkastet kunde inte sparas: ${error.message}`;
  }
}

function offerDraft(opened) {
  const box = $('draft');
  const draft = opened.draft;
  if (!draft) { box.hidden = true; return; }
  box.hidden = false;
  const changedSince = draft.changed_since && draft.based_on
    ? ' Filen har ändrats sedan utkastet började: sparar du utkastet får du välja ett nytt namn eller föra in ändringarna, som vid varje krock.'
    : '';
  box.replaceChildren(
    el('p', { text: `Det finns ett osparat utkast till ${opened.name} från förra gången.${changedSince}` }),
    el('button', {
      type: 'button', id: 'draft-restore', text: 'Fortsätt med utkastet',
      onclick: () => {
        // Its version is the one it was based on: saving it meets the same check as any save.
        show(opened.name, draft.based_on, draft.case);
        state.dirty = true;
        $('save').disabled = false;
        box.hidden = true;
        notify(`Utkastet till ${opened.name} är återställt. Spara när du är klar.`);
      },
    }),
    el('button', {
      type: 'button', id: 'draft-discard', text: 'Släng utkastet',
      onclick: async () => {
        if (!window.confirm('Släng utkastet? Det som står i det går förlorat.')) return;
        await api('/api/draft/discard', { name: opened.name }).catch((e) => notify(e.message, 'error'));
        box.hidden = true;
      },
    }),
  );
}

// ---- Files -------------------------------------------------------------------------------------

const ORIGIN = { inbyggd: 'inbyggd', mappen: 'i mappen', tillaten_mapp: 'tillåten mapp, läses bara' };

function profileLabel(p) {
  const where = ORIGIN[p.origin] || p.origin;
  const shown = p.origin === 'tillaten_mapp' ? p.reference.split('/').pop() : p.reference;
  return `${shown}${p.title ? ` – ${p.title}` : ''} (${where})`;
}

async function loadFiles(select) {
  const info = await api('/api/files');
  for (const doc of info.documents) state.documents[doc.token] = doc.name;
  state.profiles = info.profiles;
  const cases = info.files.filter((f) => f.kind === 'arende');
  $('open-name').replaceChildren(...cases.map((f) => el('option', {
    value: f.name, text: f.note ? `${f.name} (${f.note})` : f.name, selected: f.name === select,
  })));
  $('open').disabled = cases.length === 0;
  $('new-profile').replaceChildren(...info.profiles.map((p) => el('option', { value: p.reference, text: profileLabel(p) })));
  $('profile-name').replaceChildren(...info.profiles.map((p) => el('option', {
    value: p.reference, text: profileLabel(p), selected: p.reference === select,
  })));
  const others = info.files.filter((f) => f.kind === 'annat');
  const box = $('others');
  box.hidden = others.length === 0;
  $('others-list').replaceChildren(...others.map((f) => el('li', { text: `${f.name}: ${f.note}` })));
}

function leaveUnsaved() {
  return !state.dirty || window.confirm('Det finns ändringar som inte är sparade. Vill du lämna dem?');
}

function show(name, version, doc, mode) {
  state.mode = mode || 'arende';
  state.name = name;
  state.version = version;
  state.doc = doc;
  state.dirty = false;
  state.previewDoc = null;
  state.lastSection = null;
  state.size = JSON.stringify(doc).length;
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = [];
  $('pages').replaceChildren();
  $('draft').hidden = true;
  $('draft-state').textContent = '';
  document.body.dataset.mode = state.mode;
  const readOnly = state.mode === 'profil' && state.origin !== 'mappen';
  $('case-title').textContent = state.mode === 'profil' ? `Profil: ${name}` : name;
  $('save-as').hidden = !readOnly;
  $('save').disabled = version !== null;
  $('render').disabled = state.mode !== 'arende';
  $('preview-doc').hidden = state.mode !== 'arende';
  build();
  check();
}

async function openFile() {
  const name = $('open-name').value;
  if (!name || !leaveUnsaved()) return;
  try {
    const opened = await api('/api/open?name=' + encodeURIComponent(name));
    state.origin = null;
    show(opened.name, opened.version, opened.case);
    offerDraft(opened);
    notify(opened.comments
      ? `${name} är öppnad. Filen har kommentarer (rader som börjar med #): de finns inte kvar om du sparar från formuläret.`
      : `${name} är öppnad.`);
  } catch (error) {
    notify(error.message, 'error');
  }
}

async function openProfile() {
  const reference = $('profile-name').value;
  if (!reference || !leaveUnsaved()) return;
  try {
    const opened = await api('/api/profile/open?reference=' + encodeURIComponent(reference));
    state.origin = opened.origin;
    show(opened.reference, opened.version, opened.profile, 'profil');
    if (opened.origin === 'mappen') {
      notify(`Profilen ${reference} är öppnad. Den sparas i mappen när du trycker på Spara.`);
    } else {
      $('save-name').value = opened.origin === 'inbyggd' ? 'var-kommun.yaml' : reference.split('/').pop();
      notify(opened.origin === 'inbyggd'
        ? `Den inbyggda profilen ${reference} är öppnad. Ändra den och spara en kopia i mappen under ett eget namn.`
        : `Profilen ligger i en mapp som --allow-path tillåter och läses bara. Spara en kopia i mappen om du vill ändra den.`);
    }
  } catch (error) {
    notify(error.message, 'error');
  }
}

function newFile() {
  let name = $('new-name').value.trim();
  if (!name) {
    notify('Skriv ett filnamn för det nya ärendet, till exempel arende-2026-17.yaml.', 'error');
    $('new-name').focus();
    return;
  }
  if (!/\.ya?ml$/.test(name)) name += '.yaml';
  if (!leaveUnsaved()) return;
  state.origin = null;
  show(name, null, { version: 1, profil: $('new-profile').value, arende: {} });
  state.dirty = true;
  $('save').disabled = false;
  notify(`${name} är ett nytt ärende. Det sparas i mappen när du trycker på Spara.`);
}

async function save() {
  if (!state.doc) return false;
  try {
    if (state.mode === 'arende') {
      const saved = await api('/api/save', { name: state.name, case: state.doc, version: state.version });
      state.version = saved.version;
    } else {
      let name = state.name;
      let version = state.version;
      if (state.origin !== 'mappen') {
        name = $('save-name').value.trim();
        if (!/\.ya?ml$/.test(name)) name += '.yaml';
        version = null;
      }
      const saved = await api('/api/profile/save', { name, profile: state.doc, version });
      state.name = name;
      state.origin = 'mappen';
      state.version = saved.version;
      $('save-as').hidden = true;
      $('case-title').textContent = `Profil: ${name}`;
    }
    clearTimeout(state.draftTimer);
    state.dirty = false;
    $('save').disabled = true;
    $('draft-state').textContent = '';
    await loadFiles(state.name);
    notify(`${state.name} är sparad.`);
    return true;
  } catch (error) {
    notify(error.message, 'error');
    return false;
  }
}

async function render() {
  if (state.mode !== 'arende') return;
  if (state.dirty && !(await save())) return;
  notify('Skapar PDF:erna …');
  try {
    const result = await api('/api/render', { name: state.name });
    if (result.ok) notify(`Skrev i mappen: ${result.files.join(', ')}.`);
    else notify(`Inga PDF:er skrevs. ${result.messages}`, 'error');
  } catch (error) {
    notify(error.message, 'error');
  }
}

async function start() {
  state.schemas.arende = await api('/api/schema');
  state.schemas.profil = await api('/api/profile-schema');
  await loadFiles(null);
  $('open').addEventListener('click', openFile);
  $('open-profile').addEventListener('click', openProfile);
  $('new').addEventListener('click', newFile);
  $('save').addEventListener('click', save);
  $('render').addEventListener('click', render);
  $('preview-doc').addEventListener('change', () => { state.previewDoc = $('preview-doc').value; check(); });
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 's') { event.preventDefault(); save(); }
  });
  // Leaving the page sends the draft at once rather than after the pause.
  window.addEventListener('pagehide', () => { if (state.dirty) keepDraft(); });
  window.addEventListener('beforeunload', (event) => { if (state.dirty) event.preventDefault(); });
  document.body.dataset.ready = 'true';
}

start().catch((error) => notify(`Formuläret kunde inte starta: ${error.message}`, 'error'));
