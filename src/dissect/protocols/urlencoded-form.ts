import { defineBodyProtocol, withType } from './media-body.js';

/** Most key/value pairs read from one form. */
const MAX_PAIRS = 1024;

/** `%XX` escapes and `+` decoded, as the form's text means them (bytes taken as Latin-1). */
function decode(d: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const b = d[i]!;
    if (b === 0x2b) out += ' ';
    else if (b === 0x25 && i + 2 < to && isHex(d[i + 1]!) && isHex(d[i + 2]!)) {
      out += String.fromCharCode(parseInt(String.fromCharCode(d[i + 1]!, d[i + 2]!), 16));
      i += 2;
    } else out += String.fromCharCode(b);
  }
  return out;
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/** An application/x-www-form-urlencoded body: `key=value` pairs separated by `&`. */
export const urlencodedForm = defineBodyProtocol({
  id: 'urlencoded-form',
  name: 'HTML Form URL Encoded',
  short: 'URL Encoded Form',
  column: { info: withType },
  fields: {
    'urlencoded-form.key': { label: 'Key', type: 'string' },
    'urlencoded-form.value': { label: 'Value', type: 'string' },
  },
  read(c, end) {
    const d = c.data;
    let p = c.pos;
    let pairs = 0;
    while (p < end && pairs < MAX_PAIRS) {
      let amp = p;
      while (amp < end && d[amp] !== 0x26) amp++;
      let eq = p;
      while (eq < amp && d[eq] !== 0x3d) eq++;
      c.add('urlencoded-form.key', decode(d, p, eq), p, eq - p);
      if (eq < amp) c.add('urlencoded-form.value', decode(d, eq + 1, amp), eq + 1, amp - eq - 1);
      pairs++;
      p = amp + 1;
    }
    if (pairs === MAX_PAIRS && p < end) c.expert('note', `more than ${MAX_PAIRS} form fields; the rest is not read`);
    return undefined;
  },
});
