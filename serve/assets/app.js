// The case form: generated from the case schema, checked by the server as it is typed, with a
// preview of the document drawn by the same engine that makes the PDFs. No build step, no
// library: what runs here is what is written here.
'use strict';

const state = {
  schema: null,
  documents: {},     // token -> the document's name
  name: null,        // the file's name in the folder
  version: null,     // the file's version when opened or saved; null for a new file
  doc: null,         // the case as JSON, every key the file has
  dirty: false,
  seq: 0,            // the newest check asked for
  shown: 0,          // the newest check shown
  previewDoc: null,  // the document the user chose to preview
  lastSection: null, // the section edited last
  urls: [],          // object URLs of the preview's pages
  timer: null,
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

async function api(path, body) {
  const headers = { 'X-Lexsarah-Nyckel': sessionStorage.getItem(SECRET_KEY) || '' };
  const init = body === undefined ? { headers } : {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
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

// ---- The schema ------------------------------------------------------------------------------

function resolve(schema) {
  for (let i = 0; i < 8 && schema; i++) {
    if (schema.$ref) {
      schema = state.schema.$defs[schema.$ref.replace('#/$defs/', '')];
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

// A description split into a label (its first sentence) and the help that follows.
function words(schema, key) {
  const text = (schema.description || key).replace(/\s+/g, ' ').trim();
  const cut = text.search(/[.;:]\s/);
  if (cut > 0) {
    const help = text.slice(cut + 1).trim();
    return { label: text.slice(0, cut), help: help.charAt(0).toUpperCase() + help.slice(1) };
  }
  return { label: text.replace(/[.;:]$/, ''), help: '' };
}

function choices(schema) {
  const s = resolve(schema);
  const list = s.oneOf || s.anyOf;
  if (!list || !list.every((c) => c.const !== undefined)) return null;
  return list.map((c) => ({ value: c.const, label: (c.description || c.const).replace(/\.$/, '') }));
}

// ---- The case as JSON --------------------------------------------------------------------------

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

function changed(path) {
  state.dirty = true;
  if (path.length > 0 && state.documents[path[0]] !== undefined) state.lastSection = path[0];
  $('save').disabled = false;
  clearTimeout(state.timer);
  state.timer = setTimeout(check, 300);
}

const key = (path) => path.join('.');
const fieldId = (path) => 'f-' + path.join('-');

// ---- The form ----------------------------------------------------------------------------------

function build() {
  const form = $('form');
  form.replaceChildren();
  if (!state.doc) return;
  const root = state.schema;
  for (const [name, schema] of Object.entries(root.properties)) {
    // The format's version is for the program, not a question for the person filling in.
    if (name === 'version') continue;
    form.append(field([name], schema, (root.required || []).includes(name)));
  }
  requestAnimationFrame(() => form.querySelectorAll('textarea').forEach(fit));
  const known = new Set(Object.keys(root.properties));
  const unknown = Object.keys(state.doc).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    form.append(el('div', { class: 'field unknown', 'data-path': '' },
      el('p', { text: `Filen har också nycklar som formuläret inte känner till (${unknown.join(', ')}). De sparas som de är; se felen ovan.` })));
  }
}

function field(path, schema, required) {
  const s = resolve(schema);
  const { label, help } = words(schema.description ? schema : s, path[path.length - 1]);
  const value = getAt(path);
  if (s.properties) return section(path, s, label, help, required);
  if (types(s).includes('array')) return list(path, s, label, help);
  const wrap = el('div', { class: 'field', 'data-path': key(path) });
  const id = fieldId(path);
  const options = choices(schema);
  if (options || types(s).includes('boolean')) {
    const group = el('fieldset', { class: 'choices', 'aria-describedby': id + '-problems' },
      el('legend', { text: label + (required ? '' : ' (kan utelämnas)'), title: key(path) }));
    const all = options || [{ value: true, label: 'Ja' }, { value: false, label: 'Nej' }];
    if (optional(schema) || !required) all.push({ value: null, label: 'Inte angivet' });
    all.forEach((choice, index) => {
      const input = el('input', {
        type: 'radio', name: key(path), id: `${id}-${index}`, value: String(choice.value),
        checked: (value === undefined ? null : value) === choice.value,
        onchange: () => setAt(path, choice.value),
      });
      group.append(el('label', { for: `${id}-${index}`, class: 'choice' }, input, ' ' + choice.label));
    });
    wrap.append(group);
  } else {
    wrap.append(el('label', { for: id, title: key(path) }, label, required ? '' : el('span', { class: 'optional', text: ' (kan utelämnas)' })));
    let input;
    const text = value === undefined || value === null ? '' : String(value);
    if (s['x-flerradig']) {
      input = el('textarea', { id, rows: 3 });
      input.value = text;
    } else if (s.format === 'date' && (text === '' || /^\d{4}-\d{2}-\d{2}$/.test(text))) {
      input = el('input', { id, type: 'date', value: text });
    } else if (types(s).includes('integer') && !types(s).includes('string')) {
      input = el('input', { id, type: 'number', min: s.minimum, value: text });
    } else {
      input = el('input', { id, type: 'text', value: text, maxlength: s.maxLength });
    }
    const number = types(s).includes('integer') && !types(s).includes('string');
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

// A text box as tall as its text, so that nothing typed hides behind a scroll bar.
function fit(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

function section(path, s, label, help, required) {
  const present = getAt(path) !== undefined && getAt(path) !== null;
  const top = path.length === 1;
  const box = el(top ? 'section' : 'fieldset', { class: top ? 'part' : 'group', 'data-path': key(path), id: fieldId(path) });
  const title = top ? el('h3', { text: label, title: key(path) }) : el('legend', { text: label, title: key(path) });
  box.append(title);
  if (!present && !required) {
    box.classList.add('absent');
    box.append(el('button', {
      type: 'button', class: 'add', id: `${fieldId(path)}-add`,
      text: `Lägg till: ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
      onclick: () => { setAt(path, {}); build(); focusFirst(path); },
    }));
    box.append(el('ul', { class: 'problems', id: `${fieldId(path)}-problems` }));
    return box;
  }
  if (help) box.append(el('p', { class: 'help', text: help }));
  box.append(el('ul', { class: 'problems', id: `${fieldId(path)}-problems` }));
  const needed = s.required || [];
  for (const [name, child] of Object.entries(s.properties)) {
    box.append(field(path.concat(name), child, needed.includes(name)));
  }
  if (!required) {
    box.append(el('button', {
      type: 'button', class: 'remove', text: `Ta bort ${label.charAt(0).toLowerCase()}${label.slice(1)}`,
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
  const box = el('fieldset', { class: 'list', 'data-path': key(path), id: fieldId(path) },
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
      for (const [name, child] of Object.entries(rows)) row.append(field(rowPath.concat(name), child, needed.includes(name)));
    } else {
      const id = fieldId(rowPath);
      const input = el('input', { id, type: 'text', value: String(items[index] ?? ''), 'aria-label': `${label} ${index + 1}` });
      input.addEventListener('input', () => { getAt(path)[index] = input.value; changed(rowPath); });
      row.append(input, el('ul', { class: 'problems', id: `${id}-problems` }));
    }
    row.append(el('button', {
      type: 'button', class: 'remove', text: 'Ta bort raden',
      onclick: () => { getAt(path).splice(index, 1); changed(path); build(); },
    }));
    box.append(row);
  });
  box.append(el('button', {
    type: 'button', class: 'add', id: `${fieldId(path)}-add`, text: 'Lägg till en rad',
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

async function check() {
  if (!state.doc) return;
  const seq = ++state.seq;
  const document_ = state.previewDoc || state.lastSection;
  let result;
  try {
    result = await api('/api/check', { name: state.name, case: state.doc, document: document_ });
  } catch (error) {
    notify(error.message, 'error');
    return;
  }
  if (seq < state.shown) return;
  state.shown = seq;
  showProblems(result.problems);
  showDocuments(result.documents, result.preview);
  showPreview(result.preview, result.problems);
}

// A message's `quoted` parts (keys, values as typed) as code, the rest as text.
function marked(text) {
  return text.split('`').map((part, index) => (index % 2 === 1 ? el('code', { text: part }) : part));
}

function showProblems(problems) {
  for (const ul of document.querySelectorAll('.problems')) ul.replaceChildren();
  for (const node of document.querySelectorAll('.has-error, .has-warning')) node.classList.remove('has-error', 'has-warning');
  for (const node of document.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const problem of problems) {
    let parts = problem.field ? problem.field.split('.') : [];
    let target = null;
    while (parts.length > 0 && !target) {
      target = document.querySelector(`[data-path="${parts.join('.')}"]`);
      if (!target) parts = parts.slice(0, -1);
    }
    const list_ = target ? target.querySelector(':scope > .problems') : $('case-problems');
    const item = el('li', { class: problem.severity, 'data-code': problem.code },
      el('span', { class: 'what' }, problem.severity === 'error' ? 'Fel: ' : 'Varning: ', ...marked(problem.message)),
      problem.hint ? el('span', { class: 'hint' }, ' Gör så här: ', ...marked(problem.hint), '.') : null);
    (list_ || $('case-problems')).append(item);
    if (target) {
      target.classList.add(problem.severity === 'error' ? 'has-error' : 'has-warning');
      const input = target.querySelector(':scope > input, :scope > textarea');
      if (input && problem.severity === 'error') input.setAttribute('aria-invalid', 'true');
    }
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary = $('summary');
  if (errors === 0 && warnings === 0) {
    summary.textContent = 'Inga fel: ärendet klarar kontrollen.';
    summary.className = 'ok';
  } else {
    const parts = [];
    if (errors) parts.push(`${errors} ${errors === 1 ? 'fel' : 'fel'}`);
    if (warnings) parts.push(`${warnings} ${warnings === 1 ? 'varning' : 'varningar'}`);
    summary.replaceChildren(
      `${parts.join(' och ')}: se meddelandena vid fälten. `,
      el('button', { type: 'button', id: 'first-problem', text: errors ? 'Gå till första felet' : 'Gå till första varningen', onclick: goToFirstProblem }),
    );
    summary.className = errors ? 'errors' : 'warnings';
  }
}

// Scrolls to the first field with an error (else a warning) and puts the cursor in it.
function goToFirstProblem() {
  const field = document.querySelector('.has-error') || document.querySelector('.has-warning')
    || (document.querySelector('#case-problems li') && $('case-problems'));
  if (!field) return;
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
    note.textContent = state.urls.length > 0
      ? 'Förhandsvisningen visar den senaste versionen utan fel. Rätta felen så uppdateras den.'
      : errors ? 'Handlingen visas här när ärendet inte har några fel.' : 'Lägg till en handling (rapport, utredning, beslut …) så visas den här.';
    return;
  }
  note.textContent = '';
  const pages = $('pages');
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = preview.pages.map((svg) => URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
  const name = state.documents[preview.document] || preview.document;
  pages.replaceChildren(...state.urls.map((url, index) => el('img', {
    src: url, class: 'page', alt: `${name}, sida ${index + 1} av ${state.urls.length}`,
  })));
  pages.dataset.document = preview.document;
  pages.dataset.version = String(state.shown);
}

// ---- Files -------------------------------------------------------------------------------------

async function loadFiles(select) {
  const info = await api('/api/files');
  for (const doc of info.documents) state.documents[doc.token] = doc.name;
  $('open-name').replaceChildren(...info.files.map((name) => el('option', { value: name, text: name, selected: name === select })));
  $('open').disabled = info.files.length === 0;
  $('new-profile').replaceChildren(...info.profiles.map((name) => el('option', { value: name, text: `profil: ${name}` })));
}

function leaveUnsaved() {
  return !state.dirty || window.confirm('Det finns ändringar som inte är sparade. Vill du lämna dem?');
}

function show(name, version, doc) {
  state.name = name;
  state.version = version;
  state.doc = doc;
  state.dirty = false;
  state.previewDoc = null;
  state.lastSection = null;
  for (const url of state.urls) URL.revokeObjectURL(url);
  state.urls = [];
  $('pages').replaceChildren();
  $('case-title').textContent = name;
  $('save').disabled = version !== null;
  $('render').disabled = false;
  build();
  check();
}

async function openFile() {
  const name = $('open-name').value;
  if (!name || !leaveUnsaved()) return;
  try {
    const opened = await api('/api/open?name=' + encodeURIComponent(name));
    show(opened.name, opened.version, opened.case);
    notify(opened.comments
      ? `${name} är öppnad. Filen har kommentarer (rader som börjar med #): de finns inte kvar om du sparar från formuläret.`
      : `${name} är öppnad.`);
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
  show(name, null, { version: 1, profil: $('new-profile').value, arende: {} });
  state.dirty = true;
  $('save').disabled = false;
  notify(`${name} är ett nytt ärende. Det sparas i mappen när du trycker på Spara.`);
}

async function save() {
  if (!state.doc) return false;
  try {
    const saved = await api('/api/save', { name: state.name, case: state.doc, version: state.version });
    state.version = saved.version;
    state.dirty = false;
    $('save').disabled = true;
    await loadFiles(state.name);
    notify(`${state.name} är sparad.`);
    return true;
  } catch (error) {
    notify(error.message, 'error');
    return false;
  }
}

async function render() {
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
  state.schema = await api('/api/schema');
  await loadFiles(null);
  $('open').addEventListener('click', openFile);
  $('new').addEventListener('click', newFile);
  $('save').addEventListener('click', save);
  $('render').addEventListener('click', render);
  $('preview-doc').addEventListener('change', () => { state.previewDoc = $('preview-doc').value; check(); });
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 's') { event.preventDefault(); save(); }
  });
  window.addEventListener('beforeunload', (event) => { if (state.dirty) event.preventDefault(); });
  document.body.dataset.ready = 'true';
}

start().catch((error) => notify(`Formuläret kunde inte starta: ${error.message}`, 'error'));
