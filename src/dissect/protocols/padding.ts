import { defineProtocol } from '../protocol.js';

/** Ethernet's minimum frame size: bytes short of it are padding, bytes after it a trailer. */
const ETH_MIN_FRAME = 60;

/**
 * Captured bytes past the end the innermost length field gives: Ethernet padding and trailer
 * (keyed as Wireshark keys them, `eth.padding` / `eth.trailer`), otherwise plain trailing bytes.
 */
export const padding = defineProtocol({
  id: 'padding',
  name: 'Trailing bytes',
  short: 'Padding',
  fields: {
    'padding.data': { label: 'Trailing bytes', type: 'bytes' },
  },
  dissect(c) {
    const start = c.pos;
    const n = c.remaining();
    const onEthernet = c.below[0]?.protocol === 'eth';
    if (!onEthernet) {
      c.bytes('padding.data', n);
      return { summary: () => `${n} trailing bytes`, info: { length: n } };
    }
    const pad = Math.max(0, Math.min(n, ETH_MIN_FRAME - start));
    if (pad > 0) c.bytes('eth.padding', pad);
    if (n - pad > 0) c.bytes('eth.trailer', n - pad);
    return { summary: () => `${n} bytes of Ethernet ${pad === n ? 'padding' : 'trailer'}`, info: { padding: pad, trailer: n - pad } };
  },
});
