import { describe, expect, it } from 'vitest';
import { checkInvariants, dissect, field, hex, layer, prefixSweep, stack, values } from '../../helpers/dissect.js';

// pcapplusplus__SSL-ClientHello1.pcap frame 1: Client Hello, SNI www.google.com (TLS at 54)
const CLIENT_HELLO = hex(`
  30469a23fbfa6cf049b2de6e0800450000e4308a40008006a1730a000004adc27050ed9e01bb2713b62b81007e955018
  4114edce000016030100b7010000b303033e7b4a3efdf77a8878eb8c7d4033e053580eb00eb78f688a1871a8e562f2f7
  f5000016c02bc02fc00ac009c013c01400330039002f0035000a0100007400000013001100000e7777772e676f6f676c
  652e636f6dff01000100000a00080006001700180019000b000201000023000033740000001000170015026832087370
  64792f332e3108687474702f312e31000500050100000000000d00160014040105010601020104030503060302030402
  0202
`);

// pcapplusplus__tls1_3.pcap frame 2: Server Hello (TLS 1.3), Change Cipher Spec, 4 application data records
const SERVER_HELLO_13 = hex(`
  b827eb459991000c29ee6c6508004500046597c54000400643b6ac100182ac10017501bb8568ec60a9af7f2ad8148018
  00eb57de00000101080a10143e6e1014522c160303007a0200007603033964dbec5022bfbd0783a15f8fd02518c8cf05
  be901c389b8a284639e37cdb66206f9d07f1953e99d8f36d97ee190b061bf4840bb68fccdee2d02d6b0c1f5253131302
  00002e002b00027f1c00330024001d0020eed211979ac7941fddde111cd4f5b981ecd069bbf9e3eff2b42d01cb6b9e57
  1414030300010117030300177e8fac57dfb9a7d3d93b1a9edf0351bb51a5af35b5c03417030302a3555c087309cdaeba
  fa5d0040f9a1d107a1218de8af825eb8aa2a41e202b8cd38e60a84ba6cd07030b3bc917c18dfe022e0235f2af9faed8f
  210a1b8b2fee351f793450403e996f0d43fc0386e445590cb5e39b368f3a67ad7ecbdc95e92fea486f1823eb87f797e9
  8935d5622de1a1f1e70978ea33c4b2ff98842481299ffb8dc382df2096d26995052795d4f4c6f790e3e748613f093525
  c0634a1509db9ccde354047063c1a612b706c8055d41d2e605ae4b79ef47daade3a28f1e47ed67dc07c0f6e1ac24836a
  d9fe106c2076fd7335b3c6bdd67a6f6de72ab7201bf863a9637da1933021e7744261259f8b09bab552307e262067547e
  88149469485cf053c67a4bc4e975d46c89b6d3643f5a4ea4b1944b602b60796deb2bdb7f48d17e1d1232018cc5299bc3
  33074fdc0be516cd9b20d11348d30ee963ef94a61bd2b567fc439073a24ef6ef894b5bafce22fd96c13dc5f95c07c709
  73819563e30bb639688dd40223ae2ed79b58b5a66087ff1239b035321611d70f042b2ccad9276800f2594b288f08b915
  953a181c121d55e03a2869ede91127cb17f7f72d42a06d16e9e0b9d2958252fbddf5d9a4c8766cbbac8edcb0ca8d075f
  b58a9322e06d97bc67ce2ae4d3ae07a6626f2933025f82001489b332dbf993b188ec8e912d0fed040ddcbd636ea9392a
  c18f1267215dc4672b0d1e246f44e074287f4c22bcbeb3da861e73fdc0c5dbfff4500ed0344345ad62d28e97dcb9d3e9
  5727b6374f673a8a178ce7e665ec843f27749ebed5e5f9de4749a84b17bc02dbc009c3a123442fb8189358ded6847ee3
  bfba098d542ab706e5f015326e8e1dc6fa6d96caf284e8ad2159f55a24f666b4cd5f793cab317b1b242761f73426e860
  e5abceb652658ae139445610c1c6aca072a846218c66d9fddfdf9e6b6611c2374d50e149fdbb6363a772941703030099
  afa4395095d17ccfeba4b9db71977fec470cfc65206c8bde5d6ff00a216b8ab186d2aef0d64999bd86492d12b8e4f013
  3b554a30d488198cfeb54d039e5a8981aab5f828dceb628fb16f9b11afb4187ba21a59743d8355d497fa7ec170b254d0
  3a621735f2613a5fa7d9cb38999fba79c823bc28698e12974d5f1e10d03a8a64c80cf00ec437d4c6a4f6db7843ff8032
  d9056eee23d9040e3d1703030045a55771bb7e0efbca66133fd4fe21a16295f6c1efff7554b704a76693c74668c154ae
  8fad6c6236f61f8758c9745a4629d25cc750c01f7d3dddb150d14e9ee1069a96de4536
`);

describe('tls', () => {
  it('reads the record, the ClientHello and its extensions', () => {
    const p = dissect(CLIENT_HELLO);
    expect(stack(p)).toBe('eth/ip/tcp/tls');
    const t = field(p, 'tls.record.content_type');
    expect([t.value, t.offset, t.length]).toEqual([22, 54, 1]);
    expect(field(p, 'tls.record.length').offset).toBe(57);
    const h = field(p, 'tls.handshake.type');
    expect([h.value, h.offset]).toEqual([1, 59]);
    const sni = field(p, 'tls.handshake.extensions_server_name');
    expect(sni.value).toBe('www.google.com');
    expect(sni.length).toBe(14);
    const exts = layer(p, 'tls').fields[0]!.children!.find((f) => f.key === 'tls.handshake')!.children!.filter((f) => f.key === 'tls.handshake.extension');
    expect(exts.length).toBeGreaterThan(2);
    expect(exts[0]!.children!.map((f) => f.key)).toContain('tls.handshake.extension.type');
    expect(layer(p, 'tls').summary).toBe('Client Hello');
    expect(layer(p, 'tls').name).toBe('TLSv1');
    checkInvariants(p);
  });

  it('a TLS 1.3 ServerHello: later application data records carry the opaque type', () => {
    const p = dissect(SERVER_HELLO_13);
    expect(values(p, 'tls.record.content_type')).toEqual([22, 20]);
    expect(values(p, 'tls.record.opaque_type')).toEqual([23, 23, 23, 23]);
    expect(values(p, 'tls.handshake.type')).toEqual([2]);
    expect(values(p, 'tls.handshake.extensions.supported_version')).toEqual([0x7f1c]);
    expect(layer(p, 'tls').name).toBe('TLSv1.3');
    expect(layer(p, 'tls').summary).toBe('Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data');
  });

  it('a record longer than the segment is not shown (reassembly off, as tshark)', () => {
    const cut = CLIENT_HELLO.slice();
    cut[57] = 0x40; // record length 0x40xx: more than the segment holds
    const p = dissect(cut);
    expect(values(p, 'tls.record.content_type')).toEqual([]);
    expect(stack(p)).toBe('eth/ip/tcp/tls');
  });

  it('a malformed extension list stops the layer without a throw', () => {
    const bad = CLIENT_HELLO.slice();
    // the ClientHello's length says more than the record holds: a fragment, no handshake type
    bad[60] = 0x7f;
    const p = dissect(bad);
    expect(values(p, 'tls.record.content_type')).toEqual([22]);
    expect(values(p, 'tls.handshake.type')).toEqual([]);
  });

  it('every prefix: no throw', () => {
    prefixSweep(CLIENT_HELLO);
  });
});
