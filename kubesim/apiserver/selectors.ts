// Label and field selectors, parsed once per request and matched per object.
// Grammar and semantics: k8s.io/apimachinery/pkg/labels/selector.go and
// k8s.io/apimachinery/pkg/fields/selector.go; supported field labels per kind from
// each API group's AddFieldLabelConversionFunc (pkg/apis/core/v1/conversion.go).

import { badRequest } from '../core/errors.ts';
import type { ResourceDef } from '../core/registry.ts';
import type { KubeObject } from '../core/types.ts';
import { isRecord } from './http.ts';

type LabelOp = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

const TOKEN = /\s*(!=|==|=|!|,|\(|\)|>|<|[^\s!=,()<>]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(start).trim() === '') break;
      throw badRequest(`unable to parse requirement: invalid selector: "${text}"`);
    }
    out.push(m[1]!);
  }
  return out;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string): string {
  if (!LABEL_KEY.test(key) || key.length > 317) {
    throw badRequest(`unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
  return key;
}

function checkValue(value: string): string {
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: values[0][key]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
  return value;
}

/** Parse a labelSelector query value; "" selects everything. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const tokens = tokenize(text);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const next = (): string | undefined => tokens[i++];
  const expectValue = (): string => {
    const t = tokens[i];
    // A missing value ("a=" or "a=,b") means the empty value, as the real lexer allows.
    if (t === undefined || t === ',') return '';
    if ([')', '(', '=', '==', '!=', '!'].includes(t)) throw badRequest(`unable to parse requirement: found '${t}', expected: identifier`);
    i++;
    return checkValue(t);
  };
  while (i < tokens.length) {
    let t = next()!;
    if (t === '!') {
      const key = next();
      if (key === undefined) throw badRequest(`found '', expected: identifier after '!'`);
      reqs.push({ key: checkKey(key), op: '!', values: [] });
    } else {
      const key = checkKey(t);
      const op = tokens[i];
      if (op === undefined || op === ',') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (op === '=' || op === '==' || op === '!=') {
        i++;
        reqs.push({ key, op: op === '!=' ? '!=' : '=', values: [expectValue()] });
      } else if (op === '>' || op === '<') {
        i++;
        const v = expectValue();
        if (!/^-?\d+$/.test(v)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key, op: op === '>' ? 'gt' : 'lt', values: [v] });
      } else if (op === 'in' || op === 'notin') {
        i++;
        if (next() !== '(') throw badRequest(`unable to parse requirement: found '${tokens[i - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        for (;;) {
          t = next() ?? '';
          if (t === ')') break;
          if (t === ',') continue;
          if (t === '') throw badRequest(`unable to parse requirement: found '', expected: ')'`);
          values.push(checkValue(t));
        }
        reqs.push({ key, op, values });
      } else {
        throw badRequest(`unable to parse requirement: found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    const sep = next();
    if (sep !== undefined && sep !== ',') throw badRequest(`found '${sep}', expected: ',' or 'end of string'`);
  }
  return reqs;
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists': return has;
      case '!': return !has;
      case '=': return has && v === r.values[0];
      case '!=': return !has || v !== r.values[0];
      case 'in': return has && r.values.includes(v!);
      case 'notin': return !has || !r.values.includes(v!);
      case 'gt': return has && /^-?\d+$/.test(v!) && Number(v) > Number(r.values[0]);
      case 'lt': return has && /^-?\d+$/.test(v!) && Number(v) < Number(r.values[0]);
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Field labels every kind supports, plus those each kind's conversion registers. */
const FIELD_LABELS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork',
    'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
    'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
    'reason', 'reportingComponent', 'source', 'type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  secrets: ['type'],
  'apps/replicasets': ['status.replicas'],
};

/** Split on unescaped commas; unescape "\," "\=" "\\" (fields.ParseSelector). */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((t) => t !== '');
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export function parseFieldSelector(text: string, resource: ResourceDef): FieldRequirement[] {
  const supported = new Set(['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[resource.key] ?? [])]);
  return splitTerms(text).map((term) => {
    const parsed = splitTerm(term);
    if (!parsed) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = unescape(parsed.field.trim());
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, op: parsed.op, value: unescape(parsed.value) };
  });
}

/** The first unescaped "=", "==" or "!=" splits a term into field and value. */
function splitTerm(term: string): { field: string; op: '=' | '!='; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === '\\') {
      i++;
    } else if (c === '!' && term[i + 1] === '=') {
      return { field: term.slice(0, i), op: '!=', value: term.slice(i + 2) };
    } else if (c === '=') {
      return { field: term.slice(0, i), op: '=', value: term.slice(i + (term[i + 1] === '=' ? 2 : 1)) };
    }
  }
  return undefined;
}

function fieldValue(obj: KubeObject, field: string): string {
  if (field === 'source') {
    // events: "source" is the source component (pkg/apis/core/v1/conversion.go)
    const src = obj['source'];
    return isRecord(src) && typeof src['component'] === 'string' ? src['component'] : '';
  }
  if (field === 'status.podIPs') {
    const status = obj['status'];
    const ips = isRecord(status) ? status['podIPs'] : undefined;
    const first = Array.isArray(ips) ? ips[0] : undefined;
    return isRecord(first) && typeof first['ip'] === 'string' ? first['ip'] : '';
  }
  let cur: unknown = obj;
  for (const part of field.split('.')) cur = isRecord(cur) ? cur[part] : undefined;
  if (cur === undefined || cur === null) {
    // Booleans the conversion renders with strconv.FormatBool default to "false".
    return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  }
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}

export interface Selector {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export function parseSelector(resource: ResourceDef, labelSelector: string | undefined, fieldSelector: string | undefined): Selector {
  return {
    labels: labelSelector ? parseLabelSelector(labelSelector) : [],
    fields: fieldSelector ? parseFieldSelector(fieldSelector, resource) : [],
  };
}

export function matches(sel: Selector, obj: KubeObject): boolean {
  return matchLabels(sel.labels, obj.metadata.labels) && matchFields(sel.fields, obj);
}

/** metav1.LabelSelector → its string form (as Scale.status.selector carries it). */
export function labelSelectorString(selector: unknown): string {
  if (!isRecord(selector)) return '';
  const parts: { key: string; text: string }[] = [];
  const ml = selector['matchLabels'];
  if (isRecord(ml)) for (const [k, v] of Object.entries(ml)) parts.push({ key: k, text: `${k}=${String(v)}` });
  const me = selector['matchExpressions'];
  if (Array.isArray(me)) {
    for (const e of me) {
      if (!isRecord(e) || typeof e['key'] !== 'string') continue;
      const key = e['key'];
      const values = Array.isArray(e['values']) ? e['values'].map(String).sort() : [];
      const op = e['operator'];
      const text = op === 'In' ? `${key} in (${values.join(',')})`
        : op === 'NotIn' ? `${key} notin (${values.join(',')})`
        : op === 'Exists' ? key
        : op === 'DoesNotExist' ? `!${key}` : '';
      if (text) parts.push({ key, text });
    }
  }
  // labels.Selector.String() sorts requirements by key.
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((p) => p.text).join(',');
}
