// Loads test/fixtures/test-vectors.json (a copy of ../shared, so a fresh clone needs nothing else).
import { readFileSync } from 'node:fs';
import type { HashAlgorithm } from '../../src/protocol/index.js';

export interface Vector {
  id: string;
  kind: 'payment' | 'result' | 'success' | 'opstate';
  note: string;
  algorithm: HashAlgorithm;
  merchantLogin?: string;
  outSum?: string;
  invId: string;
  password1?: string;
  password?: string;
  outSumCurrency?: string;
  userIp?: string;
  receiptJson?: string;
  receiptSigned?: string;
  shp?: Record<string, string>;
  base: string;
  signature: string;
  reply?: string;
  url?: string;
}

export const vectors: Vector[] = (JSON.parse(readFileSync(new URL('../fixtures/test-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;

/** The base string with the <receiptSigned> placeholder filled in. */
export function expectedBase(v: Vector): string {
  return v.receiptSigned === undefined ? v.base : v.base.replace('<receiptSigned>', v.receiptSigned);
}
