// Angular: the README's standalone PayComponent (CUSTOM_ELEMENTS_SCHEMA), compiled just in time by
// @angular/compiler in Chromium, bootstrapped zoneless inside a host component.
import '@angular/compiler';
import { Component, provideZonelessChangeDetection, signal, type ApplicationRef, type Type } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { expect, waitUntil } from '@open-wc/testing';
import { INVOICE_ID, payForReal, rendered, snippet } from './support.js';

describe('Angular', function () {
  this.timeout(15_000);
  let app: ApplicationRef | undefined;
  afterEach(() => {
    app?.destroy();
    app = undefined;
  });

  it('README pay.component.ts: the element upgrades, gets its properties, and its rk-success reaches (paid)', async () => {
    const { PayComponent } = await snippet<{ PayComponent: Type<unknown> }>('pay.component.ts');
    const paid: number[] = [];
    const sku = signal('course-basic');
    const Host = Component({
      selector: 'rk-angular-host',
      imports: [PayComponent],
      template: '<app-pay [sku]="sku()" (paid)="onPaid($event)" />',
    })(class {
      sku = sku;
      onPaid(id: number): void {
        paid.push(id);
      }
    });
    const host = document.createElement('rk-angular-host');
    document.body.append(host);
    app = await bootstrapApplication(Host, { providers: [provideZonelessChangeDetection()] });
    const el = await rendered(host);
    expect([el.endpoint, el.sku]).to.deep.equal(['/robokassa', 'course-basic']);
    // zoneless: a signal change schedules the update, no zone.js involved
    expect('Zone' in window).to.equal(false);
    sku.set('course-pro');
    await waitUntil(() => el.sku === 'course-pro', 'a new sku did not reach the element');
    await payForReal(el);
    expect(paid).to.deep.equal([INVOICE_ID]);
  });
});
