import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OPERATION_STATES, RobokassaError, buildOpStateXml, opStateRequestUrl, parseOpStateXml, webServiceUrl, type MerchantSettings,
} from '../../src/protocol/index.js';
import { nodeHasher } from '../../src/node-hasher.js';

const ru: MerchantSettings = { merchantLogin: 'robo-demo', hashAlgorithm: 'md5', region: 'ru', test: false };

test('OpStateExt URL per region and with an override address', () => {
  const sig = 'ad5be97c499e744276fb3265f24dace0';
  assert.equal(opStateRequestUrl({ ...ru, region: 'kz' }, '450009', 'password_2', nodeHasher),
    `https://auth.robokassa.kz/Merchant/WebService/Service.asmx/OpStateExt?MerchantLogin=robo-demo&InvoiceID=450009&Signature=${sig}`);
  assert.equal(opStateRequestUrl({ ...ru, paymentUrl: 'http://127.0.0.1:9/sandbox/Merchant/Index.aspx' }, '450009', 'password_2', nodeHasher),
    `http://127.0.0.1:9/sandbox/Merchant/WebService/Service.asmx/OpStateExt?MerchantLogin=robo-demo&InvoiceID=450009&Signature=${sig}`);
  assert.equal(webServiceUrl({ ...ru, paymentUrl: 'https://proxy.example/pay/index.html' }), 'https://proxy.example/pay/Merchant/WebService/Service.asmx');
  assert.throws(() => opStateRequestUrl(ru, '0', 'p', nodeHasher), { code: 'invalid_field', field: 'InvoiceID' });
  assert.throws(() => opStateRequestUrl(ru, '12a', 'p', nodeHasher), { code: 'invalid_field', field: 'InvoiceID' });
});

// As Robokassa answers (xml-interfaces docs; namespaces, xsi:type, nested PaymentMethod, UserField).
const robokassaAnswer = `<?xml version="1.0" encoding="utf-8"?>
<OperationStateResponse xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xmlns="http://merchant.roboxchange.com/WebService/">
    <Result>
        <Code>0</Code>
    </Result>
    <State>
        <Code>100</Code>
        <RequestDate>2019-11-13T10:21:22.0500029+03:00</RequestDate>
        <StateDate>2018-02-22T15:56:54.6833333+03:00</StateDate>
    </State>
    <Info xsi:type="OperationInfoExt">
        <IncCurrLabel>QCardR</IncCurrLabel>
        <IncSum>100.000000</IncSum>
        <IncAccount>123456******0987</IncAccount>
        <PaymentMethod>
            <Code>BankCard</Code>
            <Description>Банковская карта</Description>
        </PaymentMethod>
        <OutCurrLabel>BNR</OutCurrLabel>
        <OutSum>100.000000</OutSum>
        <OpKey>8A1B2C3D-0000</OpKey>
        <BankCardRRN>000000000000</BankCardRRN>
    </Info>
    <UserField>
        <Field><Name>shp_label</Name><Value>a &amp; b</Value></Field>
    </UserField>
</OperationStateResponse>`;

test('parses Robokassa\'s OpStateExt answer', () => {
  assert.deepEqual(parseOpStateXml(robokassaAnswer), {
    resultCode: 0,
    state: { code: 100, status: 'paid', requestDate: '2019-11-13T10:21:22.0500029+03:00', stateDate: '2018-02-22T15:56:54.6833333+03:00' },
    info: {
      incCurrLabel: 'QCardR', incSum: '100.000000', incAccount: '123456******0987', paymentMethod: 'BankCard',
      outCurrLabel: 'BNR', outSum: '100.000000', opKey: '8A1B2C3D-0000', bankCardRrn: '000000000000',
    },
    userFields: { shp_label: 'a & b' },
  });
});

test('an error answer carries only Result', () => {
  const xml = '<?xml version="1.0"?><OperationStateResponse xmlns="http://merchant.roboxchange.com/WebService/"><Result><Code>3</Code><Description>Операция с &lt;InvoiceID&gt; не найдена</Description></Result></OperationStateResponse>';
  assert.deepEqual(parseOpStateXml(xml), { resultCode: 3, description: 'Операция с <InvoiceID> не найдена' });
});

test('every documented State code maps; build -> parse round trip', () => {
  const expected: Record<number, string> = { 5: 'pending', 10: 'cancelled', 20: 'held', 50: 'pending', 60: 'refunded', 80: 'suspended', 100: 'paid' };
  assert.deepEqual({ ...OPERATION_STATES }, expected);
  for (const [code, status] of Object.entries(expected)) {
    const xml = buildOpStateXml({
      resultCode: 0, stateCode: Number(code), requestDate: '2026-11-29T10:00:00+03:00', stateDate: '2026-11-29T09:59:00+03:00',
      outSum: '1500.000000', incSum: '1500.000000', incCurrLabel: 'BankCard', paymentMethod: 'BankCard', opKey: 'k<&>"\'',
      userFields: { Shp_order: '<&>' },
    });
    const parsed = parseOpStateXml(xml);
    assert.equal(parsed.state?.status, status);
    assert.equal(parsed.state?.code, Number(code));
    assert.equal(parsed.info?.opKey, 'k<&>"\'');
    assert.deepEqual(parsed.userFields, { Shp_order: '<&>' });
  }
  const minimal = buildOpStateXml({ resultCode: 1, description: 'bad signature' });
  assert.match(minimal, /^<\?xml version="1.0" encoding="utf-8"\?>\n<OperationStateResponse /);
  assert.deepEqual(parseOpStateXml(minimal), { resultCode: 1, description: 'bad signature' });
});

test('broken or unexpected XML is refused with invalid_xml', () => {
  const bad = [
    '', 'not xml', '<html><body>502</body></html>',
    '<OperationStateResponse><Result></Result></OperationStateResponse>',
    '<OperationStateResponse><Result><Code>x</Code></Result></OperationStateResponse>',
    '<OperationStateResponse><Result><Code>0</Code></Result><State><Code>42</Code></State></OperationStateResponse>',
    '<OperationStateResponse><Result><Code>0</Code></Result>',
    '<OperationStateResponse><Result><Code>0</Code></Result></State></OperationStateResponse>',
    '<!DOCTYPE x [<!ENTITY a "b">]><OperationStateResponse><Result><Code>0</Code></Result></OperationStateResponse>',
    '<OperationStateResponse><Result><Code>0</Code></Result></OperationStateResponse><Extra/>',
    '<OperationStateResponse><Result><Code>0 < 1</Code></Result></OperationStateResponse>',
  ];
  for (const xml of bad) {
    assert.throws(() => parseOpStateXml(xml), (e: unknown) => e instanceof RobokassaError && e.code === 'invalid_xml', xml);
  }
});

test('comments, CDATA, prefixes and self-closing tags are handled', () => {
  const xml = '<?xml version="1.0"?><!-- c --><s:OperationStateResponse xmlns:s="x"><s:Result><s:Code><![CDATA[0]]></s:Code><s:Description/></s:Result><s:State><s:Code>&#53;0</s:Code></s:State></s:OperationStateResponse>';
  assert.deepEqual(parseOpStateXml(xml), { resultCode: 0, state: { code: 50, status: 'pending' } });
});
