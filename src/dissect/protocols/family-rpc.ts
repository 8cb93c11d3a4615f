import type { ProtocolDef } from '../protocol.js';
import { browser } from './browser.js';
import { dcerpc } from './dcerpc.js';
import { dssetup } from './dssetup.js';
import { ldap } from './ldap.js';
import { mailslot } from './mailslot.js';
import { mount } from './mount.js';
import { netbios } from './netbios.js';
import { nfs } from './nfs.js';
import { portmap } from './portmap.js';
import { rpc } from './rpc.js';
import { smbPipe } from './smb_pipe.js';
import { tftp } from './tftp.js';

/**
 * The Microsoft and Sun RPC family: what SMB transactions carry (mailslots, the browser
 * protocol, named pipes with DCE/RPC), ONC RPC and its programs, TFTP and LDAP.
 */
export const rpcProtocols: readonly ProtocolDef[] = [netbios, mailslot, browser, smbPipe, dcerpc, dssetup, rpc, portmap, mount, nfs, tftp, ldap];
