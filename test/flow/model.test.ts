/**
 * The flow model against `pcapviz list` (arrow labels, times and ends are list's columns for the
 * same frames) and against tshark (which frames --stream, --conv and --acks hide select; which
 * ones carry expert notes; the ends of ARP frames and of TCP endpoints).
 */
import { describe, expect, it } from 'vitest';
import { convMatches, parseConv } from '../../src/flow/model.js';
import { CAPTURES, FIXTURES } from '../helpers/capture-bytes.js';
import { arrowsOf, flowModel, hasTshark, listRows, notesOf, tshark, tsharkFrames } from './helpers.js';

const OFFICE = `${FIXTURES}small-office.pcapng`;
const TLS2 = `${CAPTURES}pcapplusplus__tls2.pcap`;
const RETRANS = `${CAPTURES}arkime__wireshark-retrans.pcap`;
const IPV6_HTTP = `${CAPTURES}pcapplusplus__four_ipv6_http_streams.pcap`;

/** tshark's filter for a TCP segment with no payload whose only flag is ACK. */
const ACK_ONLY = 'tcp.len==0 && tcp.flags.ack==1 && tcp.flags.syn==0 && tcp.flags.fin==0 && tcp.flags.reset==0 && tcp.flags.push==0 && tcp.flags.urg==0';

describe('flow model: arrows are list rows', () => {
  for (const path of [OFFICE, TLS2, RETRANS, IPV6_HTTP]) {
    it(`${path.split('/').pop()}: one arrow per packet, labelled, timed and ended as list prints it`, async () => {
      const m = await flowModel(path);
      const rows = listRows(path);
      const arrows = arrowsOf(m);
      expect(arrows).toHaveLength(rows.length);
      expect(m.packets).toBe(rows.length);
      arrows.forEach((a, i) => {
        const r = rows[i]!;
        expect([a.frame, a.time, a.label, a.protocol, a.length]).toEqual([r.number, r.time, r.info, r.protocol, r.length]);
        expect(m.lifelines[a.from]!.key).toBe(r.source === '' ? '(no address)' : r.source);
        if (r.destination !== '') expect(m.lifelines[a.to]!.key).toBe(r.destination);
      });
      // Lifelines in order of first appearance, source before destination.
      const seen: string[] = [];
      for (const r of rows) for (const k of [r.source, r.destination]) if (k !== '' && !seen.includes(k)) seen.push(k);
      expect(m.lifelines.map((l) => l.key)).toEqual(seen);
    });
  }

  it.skipIf(!hasTshark)('ARP and other non-IP frames run between MAC addresses (tshark eth.src → eth.dst)', async () => {
    const m = await flowModel(OFFICE);
    const arp = tshark(OFFICE, 'arp', ['frame.number', 'eth.src', 'eth.dst']);
    expect(arp.length).toBeGreaterThan(5);
    const byFrame = new Map(arrowsOf(m).map((a) => [a.frame, a]));
    for (const [n, src, dst] of arp) {
      const a = byFrame.get(Number(n))!;
      expect([m.lifelines[a.from]!.key, m.lifelines[a.to]!.key]).toEqual([src, dst]);
    }
  });

  it.skipIf(!hasTshark)('--by endpoint: lifelines are address:port, IPv6 in brackets (tshark ipv6 and tcp fields)', async () => {
    const m = await flowModel(IPV6_HTTP, { by: 'endpoint' });
    const fields = tshark(IPV6_HTTP, 'tcp', ['frame.number', 'ipv6.src', 'tcp.srcport', 'ipv6.dst', 'tcp.dstport']);
    const byFrame = new Map(arrowsOf(m).map((a) => [a.frame, a]));
    expect(fields).toHaveLength(byFrame.size);
    for (const [n, src, sport, dst, dport] of fields) {
      const a = byFrame.get(Number(n))!;
      expect([m.lifelines[a.from]!.key, m.lifelines[a.to]!.key]).toEqual([`[${src}]:${sport}`, `[${dst}]:${dport}`]);
    }
    const order: string[] = [];
    for (const [, src, sport, dst, dport] of fields) for (const k of [`[${src}]:${sport}`, `[${dst}]:${dport}`]) if (!order.includes(k)) order.push(k);
    expect(m.lifelines.map((l) => l.key)).toEqual(order);
  });

  it.skipIf(!hasTshark)('--by endpoint on the office capture: UDP and TCP frames get ports, ARP and ICMP frames none', async () => {
    const m = await flowModel(OFFICE, { by: 'endpoint' });
    const byFrame = new Map(arrowsOf(m).map((a) => [a.frame, a]));
    for (const [n, src, sport, dst, dport] of tshark(OFFICE, 'ip && (udp || tcp) && !icmp', ['frame.number', 'ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport'])) {
      const a = byFrame.get(Number(n))!;
      if (sport === '') continue; // TCP: checked below
      expect([m.lifelines[a.from]!.key, m.lifelines[a.to]!.key]).toEqual([`${src}:${sport}`, `${dst}:${dport}`]);
    }
    for (const [n, src, sport, dst, dport] of tshark(OFFICE, 'tcp', ['frame.number', 'ip.src', 'tcp.srcport', 'ip.dst', 'tcp.dstport'])) {
      const a = byFrame.get(Number(n))!;
      expect([m.lifelines[a.from]!.key, m.lifelines[a.to]!.key]).toEqual([`${src}:${sport}`, `${dst}:${dport}`]);
    }
    const arp = byFrame.get(Number(tshark(OFFICE, 'arp')[0]![0]))!;
    expect(m.lifelines[arp.from]!.key).not.toContain('.');
  });
});

describe('flow model: selection', () => {
  it.skipIf(!hasTshark)('--acks hide leaves out exactly the ACK-only packets; dashed marks exactly them', async () => {
    for (const path of [OFFICE, RETRANS]) {
      const all = arrowsOf(await flowModel(path)).map((a) => a.frame);
      const hidden = await flowModel(path, { acks: 'hide' });
      const kept = arrowsOf(hidden).map((a) => a.frame);
      const acks = tsharkFrames(path, ACK_ONLY);
      expect(acks.length).toBeGreaterThan(10);
      expect(all.filter((f) => !kept.includes(f))).toEqual(acks);
      expect(hidden.hiddenAcks).toBe(acks.length);
      expect(hidden.packets).toBe(all.length - acks.length);
      const dashed = arrowsOf(await flowModel(path, { acks: 'dashed' }));
      expect(dashed.filter((a) => a.dashed).map((a) => a.frame)).toEqual(acks);
      expect(arrowsOf(await flowModel(path, { acks: 'show' })).some((a) => a.dashed)).toBe(false);
    }
  });

  it.skipIf(!hasTshark)('--stream N: the frames tshark numbers tcp.stream N', async () => {
    for (const [path, streams] of [
      [OFFICE, [0, 1, 2]],
      [TLS2, [3, 27, 84]],
    ] as const) {
      for (const s of streams) {
        const m = await flowModel(path, { stream: s });
        expect(arrowsOf(m).map((a) => a.frame), `${path} stream ${s}`).toEqual(tsharkFrames(path, `tcp.stream==${s}`));
        expect(m.selection).toEqual([`tcp.stream ${s}`]);
        expect(m.lifelines).toHaveLength(2);
      }
    }
    expect(arrowsOf(await flowModel(OFFICE, { stream: 99 }))).toHaveLength(0);
  });

  it.skipIf(!hasTshark)('--conv A,B: packets between two hosts or endpoints, either way, in any order', async () => {
    const hosts = await flowModel(OFFICE, { conv: '192.168.1.53,192.168.1.101' });
    const expected = tsharkFrames(OFFICE, '(ip.src==192.168.1.101 && ip.dst==192.168.1.53) || (ip.src==192.168.1.53 && ip.dst==192.168.1.101)');
    expect(expected.length).toBeGreaterThan(10);
    expect(arrowsOf(hosts).map((a) => a.frame)).toEqual(expected);
    expect(hosts.lifelines.map((l) => l.key)).toEqual(['192.168.1.101', '192.168.1.53']);

    const ends = await flowModel(OFFICE, { conv: '198.51.100.10:443,192.168.1.101' });
    expect(arrowsOf(ends).map((a) => a.frame)).toEqual(tsharkFrames(OFFICE, 'tcp.port==443'));

    const v6 = await flowModel(IPV6_HTTP, { conv: '[2001:618:1:8000:0:0:0:5]:80,[2001:618:400::5199:cc70]:35995' });
    expect(arrowsOf(v6).map((a) => a.frame)).toEqual(tsharkFrames(IPV6_HTTP, 'tcp.port==35995'));

    const arp = await flowModel(OFFICE, { conv: '00:14:22:5E:81:07,ff:ff:ff:ff:ff:ff' });
    expect(arrowsOf(arp).map((a) => a.frame)).toEqual(tsharkFrames(OFFICE, 'eth.src==00:14:22:5e:81:07 && eth.dst==ff:ff:ff:ff:ff:ff && !ip && !ipv6'));
  });

  it('--conv parses addresses, address:port, [v6]:port and MAC addresses; refuses the rest', () => {
    expect(parseConv('10.0.0.1,10.0.0.2:80')).toEqual([
      { host: '10.0.0.1', port: undefined },
      { host: '10.0.0.2', port: 80 },
    ]);
    expect(parseConv('[2001:DB8:0::1]:443,2001:db8::2')).toEqual([
      { host: '2001:db8::1', port: 443 },
      { host: '2001:db8::2', port: undefined },
    ]);
    expect(parseConv('AA:BB:CC:DD:EE:FF,ff:ff:ff:ff:ff:ff')[0]).toEqual({ host: 'aa:bb:cc:dd:ee:ff', port: undefined });
    expect(() => parseConv('10.0.0.1')).toThrow(/two ends/);
    expect(() => parseConv('10.0.0.1,10.0.0.2:99999')).toThrow(/cannot read/);
    expect(() => parseConv('10.0.0.1,[nonsense]:1')).toThrow(/cannot read/);
    const c = parseConv('10.0.0.1,10.0.0.2:80');
    expect(convMatches(c, '10.0.0.2', 80, '10.0.0.1', 5000)).toBe(true);
    expect(convMatches(c, '10.0.0.2', 81, '10.0.0.1', 5000)).toBe(false);
    expect(convMatches(c, '10.0.0.1', 5000, '10.0.0.3', 80)).toBe(false);
  });

  it('--packets: the frames named, timed from the first frame of the capture as list times them', async () => {
    const m = await flowModel(OFFICE, { packets: '11-25,30' });
    const rows = listRows(OFFICE).filter((r) => (r.number >= 11 && r.number <= 25) || r.number === 30);
    expect(arrowsOf(m).map((a) => [a.frame, a.time, a.label])).toEqual(rows.map((r) => [r.number, r.time, r.info]));
    expect(m.lifelines.map((l) => l.key)).toEqual(['192.168.1.101', '192.168.1.53', '198.51.100.10', '192.168.1.103', '203.0.113.5']);
  });

  it('--max-arrows: the first N packets drawn, all counted, the cut said', async () => {
    const rows = listRows(TLS2);
    const m = await flowModel(TLS2, { maxArrows: 50 });
    expect(arrowsOf(m).map((a) => a.frame)).toEqual(rows.slice(0, 50).map((r) => r.number));
    expect([m.arrows, m.packets]).toEqual([50, rows.length]);
    const { flowCutText } = await import('../../src/flow/model.js');
    expect(flowCutText(m)).toBe(`showing 50 of ${rows.length.toLocaleString('en-US')} packets (--max-arrows 50)`);
    // Lifelines only of the packets drawn.
    const drawn = new Set(rows.slice(0, 50).flatMap((r) => [r.source, r.destination]));
    expect(new Set(m.lifelines.map((l) => l.key))).toEqual(drawn);
    expect(flowCutText(await flowModel(TLS2, { maxArrows: rows.length }))).toBeUndefined();
  });
});

describe('flow model: expert marks and connection states', () => {
  it.skipIf(!hasTshark)('red for retransmissions, lost segments and resets, orange for other TCP analysis notes (as tshark flags them)', async () => {
    const m = await flowModel(RETRANS);
    const red = tsharkFrames(RETRANS, 'tcp.analysis.retransmission || tcp.analysis.lost_segment || tcp.flags.reset==1');
    const orange = tsharkFrames(
      RETRANS,
      '(tcp.analysis.duplicate_ack || tcp.analysis.out_of_order || tcp.analysis.zero_window || tcp.analysis.keep_alive || tcp.analysis.window_full || tcp.analysis.ack_lost_segment) && !(tcp.analysis.retransmission || tcp.analysis.lost_segment || tcp.flags.reset==1)',
    );
    expect(red.length).toBeGreaterThan(20);
    expect(orange.length).toBeGreaterThan(5);
    const arrows = arrowsOf(m);
    expect(arrows.filter((a) => a.expert?.level === 'error').map((a) => a.frame)).toEqual(red);
    expect(arrows.filter((a) => a.expert?.level === 'warning').map((a) => a.frame)).toEqual(orange);
    const first = arrows.find((a) => a.frame === red[0])!;
    expect(first.expert!.messages).toContain('This frame is a (suspected) retransmission');
    // Resets: the office capture's refused and reset connections.
    const office = arrowsOf(await flowModel(OFFICE));
    const resets = tsharkFrames(OFFICE, 'tcp.flags.reset==1');
    expect(resets).toHaveLength(2);
    expect(office.filter((a) => a.expert !== undefined).map((a) => [a.frame, a.expert!.level])).toEqual(resets.map((f) => [f, 'error']));
    expect(office.find((a) => a.frame === resets[0])!.expert!.messages).toEqual(['Connection reset (RST)']);
  });

  it('the office capture: states at the start and end of its three connections (fixtures/README.md)', async () => {
    const m = await flowModel(OFFICE);
    const rows = listRows(OFFICE);
    const notes = notesOf(m);
    expect(notes.map((n) => [n.stream, n.role])).toEqual([
      [0, 'start'],
      [0, 'end'],
      [1, 'start'],
      [1, 'end'],
      [2, 'start'],
      [2, 'end'],
    ]);
    const text = (s: number, role: string): string => notes.find((n) => n.stream === s && n.role === role)!.text;
    // HTTP: full handshake, FIN/ACK from both sides; its handshake RTT from list's times of frames 15 and 17.
    const t = (n: number): number => Number(rows.find((r) => r.number === n)!.time);
    const rtt = ((t(17) - t(15)) * 1000).toFixed(1);
    expect(text(0, 'start')).toBe(`tcp.stream 0 (41475 → 80): SYN_SENT → ESTABLISHED (handshake ${rtt} ms)`);
    expect(text(0, 'end')).toMatch(/^tcp\.stream 0 end: SF, established and closed normally \(history ShADad[fF]{2}\)$/);
    // The refused connection: SYN answered by RST/ACK.
    expect(text(1, 'start')).toBe('tcp.stream 1 (58968 → 8080): SYN_SENT (no SYN-ACK seen)');
    expect(text(1, 'end')).toMatch(/^tcp\.stream 1 end: REJ, rejected /);
    // TLS, reset by the client.
    expect(text(2, 'end')).toMatch(/^tcp\.stream 2 end: RSTO, reset by the originator/);
    // Each note stands right before the connection's first packet and right after its last.
    const order = m.events.map((e) => (e.kind === 'note' ? `${e.role}${e.stream}` : e.frame));
    const tcpFrames = (s: number): number[] => arrowsOf(m).filter((a) => a.stream === s).map((a) => a.frame);
    for (const s of [0, 1, 2]) {
      const frames = tcpFrames(s);
      expect(order[order.indexOf(`start${s}`) + 1]).toBe(frames[0]);
      expect(order[order.indexOf(`end${s}`) - 1]).toBe(frames[frames.length - 1]);
    }
    // Notes run between the connection's two hosts.
    const n0 = notes[0]!;
    expect([m.lifelines[n0.from]!.key, m.lifelines[n0.to]!.key]).toEqual(['192.168.1.101', '198.51.100.10']);
    expect(notesOf(await flowModel(OFFICE, { states: false }))).toHaveLength(0);
  });

  it('a connection cut by --max-arrows: its end note says it goes on, at the bottom', async () => {
    const m = await flowModel(OFFICE, { stream: 2, maxArrows: 10 });
    const last = m.events[m.events.length - 1]!;
    expect(last.kind).toBe('note');
    expect(last.kind === 'note' && last.text).toMatch(/^tcp\.stream 2 continues past the cut; ends RSTO, /);
  });

  it('several connections cut by --max-arrows: one note at the bottom with their final states', async () => {
    const m = await flowModel(OFFICE, { maxArrows: 50 });
    const last = m.events[m.events.length - 1]!;
    // Frame 50 is inside the TLS connection (stream 2); the HTTP and refused ones ended before it.
    expect(last.kind === 'note' && [last.role, last.text]).toEqual(['end', expect.stringMatching(/^tcp\.stream 2 continues past the cut; ends RSTO, /)]);
    const busy = await flowModel(TLS2, { maxArrows: 300 });
    const cut = notesOf(busy).filter((n) => n.role === 'cut');
    expect(cut).toHaveLength(1);
    expect(busy.events[busy.events.length - 1]).toBe(cut[0]);
    const open = notesOf(busy).filter((n) => n.role === 'start').map((n) => n.stream);
    const ended = notesOf(busy).filter((n) => n.role === 'end').map((n) => n.stream);
    const going = open.filter((s) => !ended.includes(s));
    expect(going.length).toBeGreaterThan(1);
    expect(cut[0]!.text).toMatch(new RegExp(`^${going.length} connections continue past the cut; final states: `));
    for (const s of going) expect(cut[0]!.text).toMatch(new RegExp(`[ (]${s}[,)]`));
  });

  it('--packets through the middle of a connection: the notes tell the states of the whole connection', async () => {
    const whole = notesOf(await flowModel(OFFICE, { stream: 2 }));
    const part = notesOf(await flowModel(OFFICE, { packets: '50-60' }));
    expect(part.map((n) => n.stream)).toEqual([2, 2]);
    expect(part[0]!.text).toBe(whole[0]!.text.replace('tcp.stream 2 (48623 → 443): ', 'tcp.stream 2 (48623 → 443), begun earlier: '));
    expect(part[1]!.text).toBe(whole[1]!.text.replace('tcp.stream 2 end: ', 'tcp.stream 2 continues beyond the selection; ends '));
  });

  it('names learned from the capture label the lifelines', async () => {
    const m = await flowModel(OFFICE, { names: true, stream: 0 });
    expect(m.lifelines.map((l) => [l.key, l.name])).toEqual([
      ['192.168.1.101', 'alice-laptop'],
      ['198.51.100.10', 'www.example.com'],
    ]);
  });
});
