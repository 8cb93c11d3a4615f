import { describe, expect, it } from 'vitest';
import { connState, connStateText, TcpConnectionBuilder, type TcpConnection } from '../../src/analyze/tcp-connections.js';
import { A_RETRANSMISSION } from '../../src/dissect/protocols/tcp-sequence.js';
import { eth, ip, packet, resetFrames, tcp } from './make-packets.js';

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;
const PSH = 0x08;

type Step = readonly ['o' | 'r', number, number?, number?];

/** Runs one connection: each step is a segment from the originator (o) or responder (r): flags, payload length, analysis flags. */
function run(steps: readonly Step[]): TcpConnection {
  resetFrames();
  const b = new TcpConnectionBuilder();
  steps.forEach(([who, flags, len = 0, analysis = 0], i) => {
    const [src, sport, dst, dport] = who === 'o' ? ['10.0.0.1', 40000, '10.0.0.2', 80] : ['10.0.0.2', 80, '10.0.0.1', 40000];
    b.add(packet(i * 0.01, 60 + len, [eth('a', 'b'), ip(src, dst), tcp(sport, dport, 0, { flags, len, analysis })]));
  });
  const rows = b.finish().rows;
  expect(rows.length).toBe(1);
  return rows[0]!;
}

const HANDSHAKE: Step[] = [['o', SYN], ['r', SYN | ACK], ['o', ACK]];

describe('TCP connection state (Zeek conn_state and history)', () => {
  const cases: [string, Step[], string, string][] = [
    ['S0', [['o', SYN], ['o', SYN]], 'S', 'SYN sent'],
    ['S1', [...HANDSHAKE, ['o', ACK | PSH, 100], ['r', ACK]], 'ShADa', 'established'],
    ['SF', [...HANDSHAKE, ['o', ACK | PSH, 10], ['r', ACK | PSH, 20], ['o', FIN | ACK], ['r', FIN | ACK], ['o', ACK]], 'ShADdFf', 'closed'],
    ['REJ', [['o', SYN], ['r', RST | ACK]], 'Sr', 'reset'],
    ['S2', [...HANDSHAKE, ['o', FIN | ACK]], 'ShAF', 'half-closed'],
    ['S3', [...HANDSHAKE, ['r', FIN | ACK]], 'ShAf', 'half-closed'],
    ['RSTO', [...HANDSHAKE, ['o', RST | ACK]], 'ShAR', 'reset'],
    ['RSTR', [...HANDSHAKE, ['o', ACK | PSH, 5], ['r', RST]], 'ShADr', 'reset'],
    ['RSTOS0', [['o', SYN], ['o', RST]], 'SR', 'reset'],
    ['RSTRH', [['r', SYN | ACK], ['r', RST]], 'hr', 'reset'],
    ['SH', [['o', SYN], ['o', FIN]], 'SF', 'half-closed'],
    ['SHR', [['r', SYN | ACK], ['r', FIN | ACK]], 'hf', 'half-closed'],
    ['OTH', [['o', ACK | PSH, 100], ['r', ACK]], 'Da', 'midstream'],
  ];
  for (const [state, steps, history, text] of cases) {
    it(state, () => {
      const c = run(steps);
      expect([connState(c), c.history, connStateText(c)]).toEqual([state, history, text]);
    });
  }

  it('a first SYN-ACK makes its receiver the originator', () => {
    resetFrames();
    const b = new TcpConnectionBuilder();
    b.add(packet(0, 60, [ip('10.0.0.2', '10.0.0.1'), tcp(80, 40000, 7, { flags: SYN | ACK, len: 0 })]));
    const c = b.finish().rows[0]!;
    expect([c.orig, c.origPort, c.resp, c.respPort, c.stream]).toEqual(['10.0.0.1', 40000, '10.0.0.2', 80, 7]);
  });

  it('counts packets, frame and payload bytes each way, the handshake RTT, retransmissions and resets', () => {
    const c = run([...HANDSHAKE, ['o', ACK | PSH, 100], ['o', ACK | PSH, 100, A_RETRANSMISSION], ['r', ACK], ['r', RST]]);
    expect([c.o.packets, c.o.bytes, c.o.payload, c.r.packets, c.r.bytes, c.r.payload]).toEqual([4, 440, 200, 3, 180, 0]);
    expect(c.handshakeRttNs).toBe(20_000_000);
    expect([c.o.retransmissions, c.r.retransmissions, c.o.resets + c.r.resets]).toEqual([1, 0, 1]);
    expect(c.history).toBe('ShADTar');
  });

  it('repeats T at the 1st, 10th and 100th retransmission, as Zeek does', () => {
    const steps: Step[] = [...HANDSHAKE];
    for (let i = 0; i < 100; i++) steps.push(['o', ACK | PSH, 10, A_RETRANSMISSION]);
    expect(run(steps).history).toBe('ShADTTT');
  });

  it('keeps at most --max-flows connections live, retiring idle ones into final rows', () => {
    resetFrames();
    const b = new TcpConnectionBuilder({ maxFlows: 8 });
    for (let s = 0; s < 20; s++) b.add(packet(s, 60, [ip('10.0.0.1', '10.0.0.2'), tcp(1000 + s, 80, s, { flags: SYN, len: 0 })]));
    const r = b.finish();
    expect(r.rows.map((c) => c.stream)).toEqual([...Array(20).keys()]);
    expect(r.retired).toBe(12);
  });
});
