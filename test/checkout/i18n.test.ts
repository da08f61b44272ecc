// The buyer's words stay short and say the same things in ru, en and kk (issue 7: the dictionaries
// are a fifth of the embed's weight, so a sentence that grows costs every page that loads it).
import { expect } from '@open-wc/testing';
import { DICTIONARIES, LANGS } from '../../src/checkout/i18n.js';

const sentences = (text: string): number => text.split(/[.!?](?:\s|$)/).filter((s) => s.trim()).length;

describe('dictionary wording', () => {
  it('keeps the security notice to two sentences with the facts DESIGN.md names', () => {
    for (const lang of LANGS) {
      const { notice } = DICTIONARIES[lang];
      expect(sentences(notice), `${lang} notice`).to.equal(2);
      expect(notice.length, `${lang} notice`).to.be.at.most(230);
      for (const name of ['Robokassa', '(TLS)', 'PCI DSS', '3-D Secure', 'SMS']) expect(notice, `${lang} notice`).to.include(name);
    }
  });

  it('writes each help item as one full sentence, the same number in every language', () => {
    for (const lang of LANGS) {
      const { help, helpIntro } = DICTIONARIES[lang];
      expect(help).to.have.length(DICTIONARIES.en.help.length);
      for (const item of [helpIntro, ...help]) expect(item, `${lang}: ${item}`).to.match(/^[^a-zа-яёәғқңөұүһі].*[.?]$/u);
    }
  });

  it('gives http and invalid-response one message: the buyer can do the same about both', () => {
    for (const lang of LANGS) expect(DICTIONARIES[lang].errors.http).to.equal(DICTIONARIES[lang].errors['invalid-response']);
  });
});
