import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// tcpdump__quic_handshake.pcap frame 1 (BSD loopback, IPv6, UDP 50606 -> 443): client Initial, SNI localhost
const INITIAL = hex(`
  1e000000600a0f0004b811400000000000000000000000000000000100000000000000000000000000000001c5ae01bb
  04b804cbce000000010884acac06b42ed8630000449ebf8dec1e22ec03288f864b16495bb4066dd39e91a28dc24c849f
  f6bb10613ff92425df673d1726868f1090d9084acf1d8db6b8725bdcc4818a5023efc85d8945017f9c76cf77a5358df1
  6b26a194e779f4577fa35da54b59275c0617e944c87b5cadfb490d093106de2ca46a72a010d168a1d7ff6dd0a3bc1939
  b4ceb2f17c1ea28c9952d3ac6a333cd074ccad9f23e87e170850a9335c9a39c820ed1def71594e0a2bd4ba9a78464983
  7e159ef10a3d09c71f48ad019595a18df80f3ee2f8a4518048f155186a644275c0d752d5c83119d81efe2aa1ca42f320
  f2aaa0fb81c151a203baf7503446ec81fd2dba5c4e938eede854fa82760b123794f01aa0c3ee07f01b8cada568f6320f
  d6c7a5470f4756f20d01363c0b390a51f0fa189b1f815f76e9904c8879e936105f270f0d077adceec66ee4931d35581e
  7c15eae2749e30e63f0a83ace583f3daf1f908ed341af4b87dfa924c32a3fb41c0201345b4ebae0d8d46403b77d01b5f
  f148898429cf9f4ebcd56534707ff191662269547ab693b9ac4697ffe9d5add7164d72f75feacdc3f290dfccbaff9f73
  2b6683df4cf32b984e25acd1d4a01dcc07e8cfeb1209096696a7774ffdd90e4b268bbc35fc8d6c9d5319e8330ee582a5
  2549887758a00684fd6bd3be1b6ce3b32ef5e3c7a53752f9a001b4feacff49c70876b27a281e06c404ed4e5f96724bbe
  d60780191cdfc28e55b977d798257e20b7a96870166f1fca00db81eef6fbc146415519130620d35bafd10ddbf0a9143b
  addbd4f612eb55eb3ec11d9587547a2c583d58123b6cbdf1133eeb1612be437b15eb61ea7f02d0a80bd106ae86fd954a
  e28c6728b84344add305007661bd7267cc3340cd2abc90056cd0e38f43440ec219c231cf4cca7f1a027967328d8d8ecb
  8034c7f2a7a438d3a9070e5cbf25eb31a3b2bb0983b804c840d9b989f7e6a15d3cdf45abfd289bb103b8f9235574c864
  8f63a2efbaba87d4bb635d409681e0cdc0a375ff1e154806fa72c1ebc278650dd9e911f70ef92bc0b54a5acb49fe2be0
  708f862d82b8b88fabc4e77a2149f942e79473075378c3c7d5068013a6bd45f816ead829f48ffcd07dfc1df693c1f0fb
  db0a4ec63a019b5f7c7cfe75d8c82afe7598e98946426df7c44ec94b3275256d395945a019220873768077ed39b89838
  37703988a991284bc94c35c2c7b1031e9a7a96edc0aed2d3506f673cccb596d7356bc803c4a2efbc57c68ca26dabe6fb
  e2c96c3de3c310595ad05507548ae8ffa698c01d2d4f581ab8bea878c1c90ca390b3cda23fda02d674644ec8c5cd3ac0
  e7a0bed14a0d8dd6c209ca8a2d2e17536317026ef571829068f79fe8390022bce548d1828c2169acc2bbac0aa40cffaf
  01ea206dc8ec5f038a3a0de1234f057548ba2e66216b08c109988b78e63657e6d8c69edf180c9cfe3fa44ca9ddd1ee8c
  988276eecd05cf9cf04479310f743571391e7f5d21d98989f52a4c0f712786b52b0a2961cada0c46dd651575ecae4781
  2daed8dd026f0db56b4fc7f388e9fdfed6a62635920464bf605a1c79c480f848db273280611c5bba98271b1183282aa7
  b9ad1e9c3f43abceb38f192b7c58abaea7c3a9f69139d3b48d1e459d38b61819f1cbb54f9e996bd74c2cb5c1a2805c3e
  a902436b
`);

const NULL_LINKTYPE = 0;
const QUIC_AT = 4 + 40 + 8;

describe('quic', () => {
  it('reads the long header and decrypts the client Initial to show the ClientHello', () => {
    const p = dissect(INITIAL, NULL_LINKTYPE);
    expect(stack(p)).toBe('null/ipv6/udp/quic');
    const v = field(p, 'quic.version');
    expect([v.value, v.offset, v.length]).toEqual([1, QUIC_AT + 1, 4]);
    expect(field(p, 'quic.long.packet_type').value).toBe(0);
    const dcil = field(p, 'quic.dcil');
    expect(dcil.offset).toBe(QUIC_AT + 5);
    expect(field(p, 'quic.dcid').length).toBe(dcil.value);
    expect(values(p, 'tls.handshake.type')).toEqual([1]);
    expect(values(p, 'tls.handshake.extensions_server_name')).toEqual(['localhost']);
    expect(layer(p, 'quic').summary.startsWith('Initial, DCID=')).toBe(true);
    checkInvariants(p);
  });

  it('a damaged Initial does not authenticate: header only, no throw', () => {
    const bad = INITIAL.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const p = dissect(bad, NULL_LINKTYPE);
    expect(stack(p)).toBe('null/ipv6/udp/quic');
    expect(values(p, 'tls.handshake.type')).toEqual([]);
    expect(field(p, 'quic.version').value).toBe(1);
  });

  it('every prefix: no throw', () => {
    prefixSweep(INITIAL, NULL_LINKTYPE);
  });
});
