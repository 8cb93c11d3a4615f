import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../helpers/capture-bytes.js';
import { runCli } from '../helpers/run-cli.js';

// nDPI's quic-v2.pcapng rewritten without its Decryption Secrets Block, and that block's text
// as a key log file: what a user with SSLKEYLOGFILE output has.
const dir = mkdtempSync(join(tmpdir(), 'pcapviz-keylog-'));
const original = readFileSync(`${CAPTURES}ndpi__quic-v2.pcapng`);
const kept: Buffer[] = [];
let keylogText = '';
for (let p = 0; p < original.length; ) {
  const len = original.readUInt32LE(p + 4);
  if (original.readUInt32LE(p) === 0x0a) keylogText += original.subarray(p + 16, p + 16 + original.readUInt32LE(p + 12)).toString('latin1');
  else kept.push(original.subarray(p, p + len));
  p += len;
}
const CAPTURE = join(dir, 'quic-v2-no-secrets.pcapng');
const KEYLOG = join(dir, 'sslkeys.log');
writeFileSync(CAPTURE, Buffer.concat(kept));
writeFileSync(KEYLOG, keylogText);

describe('--tls-keylog', () => {
  it('fields: the key log file decrypts Handshake and 1-RTT packets', () => {
    const args = ['fields', CAPTURE, '-e', 'frame.number', '-e', 'tls.handshake.type', '-c', '4'];
    expect(runCli(args).stdout).toBe('1\t1\n2\t2\n3\t\n4\t\n');
    const r = runCli([...args, '--tls-keylog', KEYLOG]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('1\t1\n2\t2,8,11,15,20,4\n3\t\n4\t20\n');
  });

  it('list and show read the decrypted frames', () => {
    const list = runCli(['list', CAPTURE, '--tls-keylog', KEYLOG, '--packets', '6']);
    expect(list.stdout).toContain('QUIC 1504 Protected Payload (KP0), DCID=11fffdea452422b8, PKN: 2, PR, DONE, AF, PADDING');
    const show = runCli(['show', CAPTURE, '--tls-keylog', KEYLOG, '--packets', '4']);
    expect(show.stdout).toMatch(/Handshake Type: Finished \(20\)/);
    expect(runCli(['show', CAPTURE, '--packets', '4']).stdout).not.toMatch(/Finished/);
  });

  it('an unreadable key log file is an error; one without key lines a warning', () => {
    const missing = runCli(['fields', CAPTURE, '-e', 'frame.number', '--tls-keylog', join(dir, 'nope.log')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`--tls-keylog: cannot read ${join(dir, 'nope.log')}: ENOENT`);
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '# nothing here\n');
    const r = runCli(['fields', CAPTURE, '-e', 'tls.handshake.type', '-c', '2', '--tls-keylog', empty]);
    expect([r.status, r.stdout]).toEqual([0, '1\n2\n']);
    expect(r.stderr).toContain('holds no key log lines');
  });
});
