// OpStateExt: the signed status request and its XML answer. The parser is a small hand-written one
// (no DOMParser: this module must run in Node and in browsers alike, and the answer is simple).
import { RobokassaError, describeValue } from './errors.js';
import { parseHashAlgorithm, type Hasher } from './hash.js';
import { parseMerchantSettings, type MerchantSettings } from './schemas.js';
import { requirePassword } from './payment.js';
import { opStateSignatureBase } from './signature.js';

export type OperationState = 'pending' | 'cancelled' | 'held' | 'paid' | 'refunded' | 'suspended';

/** State/Code -> our status (robokassa-protocol.md §5.1). 50 = received, still being credited: not final. */
export const OPERATION_STATES: Readonly<Record<number, OperationState>> = {
  5: 'pending', 10: 'cancelled', 20: 'held', 50: 'pending', 60: 'refunded', 80: 'suspended', 100: 'paid',
};

const WEB_SERVICE_PATH = '/Merchant/WebService/Service.asmx';

/** Base of the XML interfaces: Robokassa's host, or the override's origin + path prefix before /Merchant/. */
export function webServiceUrl(settings: MerchantSettings): string {
  if (settings.paymentUrl === undefined) return `https://auth.robokassa.${settings.region}${WEB_SERVICE_PATH}`;
  const url = new URL(settings.paymentUrl);
  const at = url.pathname.toLowerCase().lastIndexOf('/merchant/');
  const prefix = at >= 0 ? url.pathname.slice(0, at) : url.pathname.replace(/\/[^/]*$/, '');
  return `${url.origin}${prefix}${WEB_SERVICE_PATH}`;
}

export function opStateRequestUrl(settings: MerchantSettings, invId: string, password2: string, hash: Hasher): string {
  const shop = parseMerchantSettings(settings);
  const algorithm = parseHashAlgorithm(shop.hashAlgorithm);
  requirePassword(password2, 'password2', 'Password #2');
  if (typeof invId !== 'string' || !/^[1-9]\d{0,18}$/.test(invId)) {
    throw new RobokassaError('invalid_field', `InvoiceID: ${describeValue(invId)} must be the positive whole InvId of the payment`, 'InvoiceID');
  }
  const signature = hash(algorithm, opStateSignatureBase({ merchantLogin: shop.merchantLogin, invId, password2 }));
  const query = `MerchantLogin=${encodeURIComponent(shop.merchantLogin)}&InvoiceID=${encodeURIComponent(invId)}&Signature=${signature}`;
  return `${webServiceUrl(shop)}/OpStateExt?${query}`;
}

// ── XML ──────────────────────────────────────────────────────────────────────────────────────────

interface XmlElement {
  name: string; // local name, namespace prefix dropped
  children: XmlElement[];
  text: string;
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!([^>]*)>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;

function xmlError(message: string): RobokassaError {
  return new RobokassaError('invalid_xml', `OpStateExt answer: ${message}; check that the URL points at Robokassa's Service.asmx/OpStateExt`, 'OpStateExt');
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  for (const m of xml.matchAll(TOKEN)) {
    const [, cdata, declaration, closing, rawName, , selfClosing, text, stray] = m;
    const top = stack[stack.length - 1] ?? root;
    if (stray !== undefined) throw xmlError('malformed markup');
    if (declaration !== undefined) throw xmlError('DOCTYPE declarations are not accepted');
    if (cdata !== undefined) { top.text += cdata; continue; }
    if (text !== undefined) { top.text += decodeEntities(text); continue; }
    if (rawName === undefined) continue; // comment or processing instruction
    const name = rawName.slice(rawName.indexOf(':') + 1);
    if (closing === '/') {
      if (stack.length < 2 || top.name !== name) throw xmlError(`unexpected closing tag </${rawName}>`);
      stack.pop();
      continue;
    }
    const element: XmlElement = { name, children: [], text: '' };
    top.children.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw xmlError(`unclosed element <${stack[stack.length - 1]?.name ?? '?'}>`);
  const elements = root.children;
  if (elements.length !== 1 || !elements[0]) throw xmlError('expected exactly one root element');
  return elements[0];
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

function textOf(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined ? undefined : found.text.trim();
}

function intOf(element: XmlElement | undefined, name: string, path: string): number | undefined {
  const text = textOf(element, name);
  if (text === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(text)) throw xmlError(`${path} ${describeValue(text)} is not a whole number`);
  return Number(text);
}

export interface OpStateInfo {
  incCurrLabel?: string;
  incSum?: string;
  incAccount?: string;
  paymentMethod?: string;
  outCurrLabel?: string;
  outSum?: string;
  opKey?: string;
  bankCardRrn?: string;
}

export interface OpStateResult {
  /** Result/Code: 0 ok, 1 bad signature, 2 shop unknown, 3 no such InvoiceID, 4 duplicate InvoiceID, 1000 internal. */
  resultCode: number;
  description?: string;
  state?: { code: number; status: OperationState; requestDate?: string; stateDate?: string };
  info?: OpStateInfo;
  userFields?: Record<string, string>;
}

export function parseOpStateXml(xml: string): OpStateResult {
  if (typeof xml !== 'string' || xml.trim() === '') throw xmlError('empty answer');
  const root = parseXml(xml.replace(/^\uFEFF/, ''));
  if (root.name !== 'OperationStateResponse') throw xmlError(`root element is <${root.name}>, expected <OperationStateResponse>`);
  const result = child(root, 'Result');
  const resultCode = intOf(result, 'Code', 'Result/Code');
  if (resultCode === undefined) throw xmlError('Result/Code is missing');
  const out: OpStateResult = { resultCode };
  const description = textOf(result, 'Description');
  if (description !== undefined && description !== '') out.description = description;

  const stateElement = child(root, 'State');
  const stateCode = intOf(stateElement, 'Code', 'State/Code');
  if (stateCode !== undefined) {
    const status = OPERATION_STATES[stateCode];
    // An unknown code must never be guessed (it could be read as paid); fail loudly instead.
    if (status === undefined) throw xmlError(`State/Code ${stateCode} is not a documented state (5, 10, 20, 50, 60, 80, 100)`);
    out.state = { code: stateCode, status };
    const requestDate = textOf(stateElement, 'RequestDate');
    const stateDate = textOf(stateElement, 'StateDate');
    if (requestDate) out.state.requestDate = requestDate;
    if (stateDate) out.state.stateDate = stateDate;
  }

  const infoElement = child(root, 'Info');
  if (infoElement) {
    const info: OpStateInfo = {};
    const fields: [keyof OpStateInfo, string | undefined][] = [
      ['incCurrLabel', textOf(infoElement, 'IncCurrLabel')],
      ['incSum', textOf(infoElement, 'IncSum')],
      ['incAccount', textOf(infoElement, 'IncAccount')],
      ['paymentMethod', textOf(child(infoElement, 'PaymentMethod'), 'Code')],
      ['outCurrLabel', textOf(infoElement, 'OutCurrLabel')],
      ['outSum', textOf(infoElement, 'OutSum')],
      ['opKey', textOf(infoElement, 'OpKey')],
      ['bankCardRrn', textOf(infoElement, 'BankCardRRN')],
    ];
    for (const [key, value] of fields) if (value !== undefined && value !== '') info[key] = value;
    out.info = info;
  }

  const userField = child(root, 'UserField');
  if (userField) {
    const userFields: Record<string, string> = {};
    for (const field of userField.children.filter((c) => c.name === 'Field')) {
      const name = textOf(field, 'Name');
      if (name) userFields[name] = textOf(field, 'Value') ?? '';
    }
    out.userFields = userFields;
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface OpStateXmlInput {
  resultCode: number;
  description?: string;
  stateCode?: number;
  requestDate?: string;
  stateDate?: string;
  outSum?: string;
  incSum?: string;
  incCurrLabel?: string;
  incAccount?: string;
  paymentMethod?: string;
  outCurrLabel?: string;
  opKey?: string;
  userFields?: Record<string, string>;
}

/** Robokassa's documented OperationStateResponse shape (used by the sandbox). */
export function buildOpStateXml(p: OpStateXmlInput): string {
  const el = (name: string, value: string | number | undefined, indent: string): string =>
    value === undefined ? '' : `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
  let xml = '<?xml version="1.0" encoding="utf-8"?>\n'
    + '<OperationStateResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://merchant.roboxchange.com/WebService/">\n'
    + `  <Result>\n${el('Code', p.resultCode, '    ')}${el('Description', p.description, '    ')}  </Result>\n`;
  if (p.stateCode !== undefined) {
    xml += `  <State>\n${el('Code', p.stateCode, '    ')}${el('RequestDate', p.requestDate, '    ')}${el('StateDate', p.stateDate, '    ')}  </State>\n`;
  }
  const hasInfo = [p.incCurrLabel, p.incSum, p.incAccount, p.paymentMethod, p.outCurrLabel, p.outSum, p.opKey].some((v) => v !== undefined);
  if (hasInfo) {
    xml += '  <Info xsi:type="OperationInfoExt">\n'
      + el('IncCurrLabel', p.incCurrLabel, '    ') + el('IncSum', p.incSum, '    ') + el('IncAccount', p.incAccount, '    ')
      + (p.paymentMethod === undefined ? '' : `    <PaymentMethod>\n${el('Code', p.paymentMethod, '      ')}    </PaymentMethod>\n`)
      + el('OutCurrLabel', p.outCurrLabel, '    ') + el('OutSum', p.outSum, '    ') + el('OpKey', p.opKey, '    ')
      + '  </Info>\n';
  }
  if (p.userFields && Object.keys(p.userFields).length > 0) {
    xml += '  <UserField>\n';
    for (const [name, value] of Object.entries(p.userFields)) {
      xml += `    <Field>\n${el('Name', name, '      ')}${el('Value', value, '      ')}    </Field>\n`;
    }
    xml += '  </UserField>\n';
  }
  return `${xml}</OperationStateResponse>\n`;
}
