import type { Cursor } from '../cursor.js';
import { defineProtocol } from '../protocol.js';

/** A message type: its abbreviation and name, mandatory fixed parameters (code, length), mandatory variable parameters, whether an optional part follows. */
interface Format {
  readonly abbr: string;
  readonly name: string;
  readonly fixed: readonly (readonly [number, number])[];
  readonly variable: readonly number[];
  readonly optional: boolean;
}

const f = (abbr: string, name: string, fixed: readonly (readonly [number, number])[] = [], variable: readonly number[] = [], optional = true): Format => ({ abbr, name, fixed, variable, optional });

/** ITU-T Q.763 message formats. */
const MESSAGES: Record<number, Format> = {
  1: f('IAM', 'Initial address', [[6, 1], [7, 2], [9, 1], [2, 1]], [4]),
  2: f('SAM', 'Subsequent address', [], [5]),
  3: f('INR', 'Information request (national use)', [[14, 2]]),
  4: f('INF', 'Information (national use)', [[15, 2]]),
  5: f('COT', 'Continuity', [[16, 1]], [], false),
  6: f('ACM', 'Address complete', [[17, 2]]),
  7: f('CON', 'Connect', [[17, 2]]),
  8: f('FOT', 'Forward transfer'),
  9: f('ANM', 'Answer'),
  12: f('REL', 'Release', [], [18]),
  13: f('SUS', 'Suspend', [[34, 1]]),
  14: f('RES', 'Resume', [[34, 1]]),
  16: f('RLC', 'Release complete'),
  17: f('CCR', 'Continuity check request', [], [], false),
  18: f('RSC', 'Reset circuit', [], [], false),
  19: f('BLO', 'Blocking', [], [], false),
  20: f('UBL', 'Unblocking', [], [], false),
  21: f('BLA', 'Blocking acknowledgement', [], [], false),
  22: f('UBA', 'Unblocking acknowledgement', [], [], false),
  23: f('GRS', 'Circuit group reset', [], [22]),
  24: f('CGB', 'Circuit group blocking', [[21, 1]], [22], false),
  25: f('CGU', 'Circuit group unblocking', [[21, 1]], [22], false),
  26: f('CGBA', 'Circuit group blocking acknowledgement', [[21, 1]], [22], false),
  27: f('CGUA', 'Circuit group unblocking acknowledgement', [[21, 1]], [22], false),
  36: f('LPA', 'Loop back acknowledgement (national use)', [], [], false),
  41: f('GRA', 'Circuit group reset acknowledgement', [], [22]),
  42: f('CQM', 'Circuit group query (national use)', [], [22], false),
  43: f('CQR', 'Circuit group query response (national use)', [], [22, 38], false),
  44: f('CPG', 'Call progress', [[36, 1]]),
  46: f('UCIC', 'Unequipped CIC (national use)', [], [], false),
  47: f('CFN', 'Confusion', [], [18]),
  48: f('OLM', 'Overload (national use)', [], [], false),
  49: f('CRG', 'Charge information'),
  51: f('FAC', 'Facility'),
  56: f('SGM', 'Segmentation'),
};

const MESSAGE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(MESSAGES).map(([k, v]) => [Number(k), v.name]));

const PARAMETERS: Record<number, string> = {
  0: 'End of optional parameters', 1: 'Call reference (national use)', 2: 'Transmission medium requirement',
  3: 'Access transport', 4: 'Called party number', 5: 'Subsequent number', 6: 'Nature of connection indicators',
  7: 'Forward call indicators', 8: 'Optional forward call indicators', 9: "Calling party's category",
  10: 'Calling party number', 11: 'Redirecting number', 12: 'Redirection number', 13: 'Connection request',
  14: 'Information request indicators (national use)', 15: 'Information indicators (national use)',
  16: 'Continuity indicators', 17: 'Backward call indicators', 18: 'Cause indicators', 19: 'Redirection information',
  21: 'Circuit group supervision message type', 22: 'Range and status', 24: 'Facility indicator',
  26: 'Closed user group interlock code', 29: 'User service information', 30: 'Signalling point code (national use)',
  32: 'User-to-user information', 33: 'Connected number', 34: 'Suspend/Resume indicators',
  35: 'Transit network selection (national use)', 36: 'Event information', 38: 'Circuit state indicator (national use)',
  39: 'Automatic congestion level', 40: 'Original called number', 41: 'Optional backward call indicators',
  42: 'User-to-user indicators', 43: 'Origination ISC point code', 44: 'Generic notification indicator',
  45: 'Call history information', 46: 'Access delivery information', 47: 'Network specific facility (national use)',
  49: 'Propagation delay counter', 50: 'Remote operations (national use)', 51: 'Service activation',
  52: 'User teleservice information', 53: 'Transmission medium used', 54: 'Call diversion information',
  55: 'Echo control information', 56: 'Message compatibility information', 57: 'Parameter compatibility information',
  58: 'MLPP precedence', 59: 'MCID request indicators', 60: 'MCID response indicators', 61: 'Hop counter',
  62: 'Transmission medium requirement prime', 63: 'Location number', 64: 'Redirection number restriction',
  101: 'Access transfer information', 110: 'Display information', 111: 'Calling geodetic location',
  113: 'Conference treatment indicators', 114: 'Call transfer number', 115: 'Call transfer reference',
  121: 'Call diversion treatment indicators', 123: 'UID action indicators', 124: 'UID capability indicators',
  127: 'Redirect counter', 129: 'Collect call request', 130: 'Pivot routing indicators', 133: 'Generic number',
  140: 'Backward GVNS', 141: 'Forward GVNS', 192: 'Generic number', 193: 'Generic digits (national use)',
};

const NATURE_OF_ADDRESS: Record<number, string> = {
  1: 'subscriber number (national use)', 2: 'unknown (national use)', 3: 'national (significant) number',
  4: 'international number', 5: 'network-specific number (national use)',
};

/** Most optional parameters read from one message. */
const MAX_OPTIONAL = 128;

/** Address signals (BCD, low nibble first) of `len` bytes at `at`, `odd` telling whether the last high nibble counts. */
function digits(c: Cursor, at: number, len: number, odd: boolean): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const b = c.data[at + i]!;
    s += DIGIT_CHARS[b & 0x0f];
    if (i < len - 1 || !odd) s += DIGIT_CHARS[b >> 4];
  }
  return s;
}
const DIGIT_CHARS = '0123456789ABCDEF';


/** A called, calling or subsequent number parameter's contents (`len` bytes). */
function readNumber(c: Cursor, code: number, len: number): void {
  const at = c.pos;
  c.need(len, 'isup.parameter_value');
  if (code === 5) {
    // Subsequent number: odd/even, then the signals.
    const odd = (c.peek8() & 0x80) !== 0;
    c.flag('isup.isdn_odd_even_indicator', 1, 0x80);
    c.skip(1);
    c.add('isup.subsequent_number', digits(c, at + 1, len - 1, odd), at + 1, len - 1);
    c.skip(len - 1);
    return;
  }
  if (len < 2) {
    c.bytes('isup.parameter_value', len);
    return;
  }
  const odd = (c.peek8() & 0x80) !== 0;
  const calling = code === 10;
  c.flag('isup.isdn_odd_even_indicator', 1, 0x80);
  c.bits(calling ? 'isup.calling_party_nature_of_address_indicator' : 'isup.called_party_nature_of_address_indicator', 1, 0x7f);
  c.skip(1);
  c.flag(calling ? 'isup.ni_indicator' : 'isup.inn_indicator', 1, 0x80);
  c.bits('isup.numbering_plan_indicator', 1, 0x70);
  if (calling) {
    c.bits('isup.address_presentation_restricted_indicator', 1, 0x0c);
    c.bits('isup.screening_indicator', 1, 0x03);
  }
  c.skip(1);
  const number = digits(c, at + 2, len - 2, odd);
  c.add(calling ? 'isup.calling' : code === 4 ? 'isup.called' : 'isup.parameter_value', code === 4 || calling ? number : c.span(at + 2, at + len), at + 2, len - 2);
  c.skip(len - 2);
}

/** A parameter's contents: the common ones field by field, the others as bytes. */
function readValue(c: Cursor, code: number, len: number): void {
  if (len === 0) return;
  switch (code) {
    case 6:
      if (len !== 1) break;
      c.bits('isup.satellite_indicator', 1, 0x03);
      c.bits('isup.continuity_check_indicator', 1, 0x0c);
      c.flag('isup.echo_control_device_indicator', 1, 0x10);
      c.skip(1);
      return;
    case 7:
      if (len !== 2) break;
      c.flag('isup.forw_call_natnl_inatnl_call_indicator', 2, 0x0100);
      c.bits('isup.forw_call_end_to_end_method_indicator', 2, 0x0600);
      c.flag('isup.forw_call_interworking_indicator', 2, 0x0800);
      c.flag('isup.forw_call_end_to_end_information_indicator', 2, 0x1000);
      c.flag('isup.forw_call_isdn_user_part_indicator', 2, 0x2000);
      c.bits('isup.forw_call_preferences_indicator', 2, 0xc000);
      c.flag('isup.forw_call_isdn_access_indicator', 2, 0x0001);
      c.bits('isup.forw_call_sccp_method_indicator', 2, 0x0006);
      c.skip(2);
      return;
    case 9:
      if (len !== 1) break;
      c.u8('isup.calling_partys_category');
      return;
    case 2:
      if (len !== 1) break;
      c.u8('isup.transmission_medium_requirement');
      return;
    case 4:
    case 5:
    case 10:
      readNumber(c, code, len);
      return;
    case 17:
      if (len !== 2) break;
      c.bits('isup.charge_indicator', 2, 0x0300);
      c.bits('isup.called_partys_status_indicator', 2, 0x0c00);
      c.bits('isup.called_partys_category_indicator', 2, 0x3000);
      c.bits('isup.backw_call_end_to_end_method_indicator', 2, 0xc000);
      c.flag('isup.backw_call_interworking_indicator', 2, 0x0001);
      c.flag('isup.backw_call_end_to_end_information_indicator', 2, 0x0002);
      c.flag('isup.backw_call_isdn_user_part_indicator', 2, 0x0004);
      c.flag('isup.backw_call_holding_indicator', 2, 0x0008);
      c.flag('isup.backw_call_isdn_access_indicator', 2, 0x0010);
      c.flag('isup.backw_call_echo_control_device_indicator', 2, 0x0020);
      c.skip(2);
      return;
    case 18: {
      c.bytes('isup.cause_indicators', len);
      c.seek(c.pos - len);
      c.bits('isup.cause_location', 1, 0x0f);
      c.skip(1);
      if (len >= 2) {
        c.bits('isup.cause_indicator', 1, 0x7f);
        c.skip(len - 1);
      }
      return;
    }
    case 22:
      c.u8('isup.range_indicator');
      if (len > 1) c.bytes('isup.parameter_value', len - 1);
      return;
    case 36:
      if (len !== 1) break;
      c.bits('isup.event_ind', 1, 0x7f);
      c.skip(1);
      return;
    default:
      break;
  }
  c.bytes('isup.parameter_value', len);
}

/**
 * ISDN User Part (Q.763, ITU), carried by MTP3 service indicator 5: the circuit identification
 * code, the message type, and the parameters the message's format lays out: mandatory fixed
 * ones, mandatory variable ones reached by pointers, and the optional part (type, length,
 * value, up to the end-of-parameters mark).
 */
export const isup = defineProtocol({
  id: 'isup',
  name: 'ISDN User Part',
  short: 'ISUP(ITU)',
  leaf: true,
  bindings: [{ table: 'mtp3.service_indicator', key: 5 }],
  fields: {
    'isup.cic': { label: 'CIC', type: 'u16' },
    'isup.message_type': { label: 'Message Type', type: 'u8', values: MESSAGE_NAMES },
    'isup.parameter_type': { label: 'Parameter Type', type: 'u8', values: PARAMETERS },
    'isup.parameter_length': { label: 'Parameter Length', type: 'u8' },
    'isup.parameter_value': { label: 'Parameter Value', type: 'bytes' },
    'isup.mandatory_variable_parameter_pointer': { label: 'Pointer to Parameter', type: 'u8' },
    'isup.optional_parameter_part_pointer': { label: 'Pointer to optional parameter part', type: 'u8' },
    'isup.satellite_indicator': { label: 'Satellite Indicator', type: 'u8', mask: 0x03 },
    'isup.continuity_check_indicator': { label: 'Continuity Check Indicator', type: 'u8', mask: 0x0c },
    'isup.echo_control_device_indicator': { label: 'Echo Control Device Indicator', type: 'bool', mask: 0x10 },
    'isup.forw_call_natnl_inatnl_call_indicator': { label: 'National/international call indicator', type: 'bool', mask: 0x0100 },
    'isup.forw_call_end_to_end_method_indicator': { label: 'End-to-end method indicator', type: 'u16', mask: 0x0600 },
    'isup.forw_call_interworking_indicator': { label: 'Interworking indicator', type: 'bool', mask: 0x0800 },
    'isup.forw_call_end_to_end_information_indicator': { label: 'End-to-end information indicator', type: 'bool', mask: 0x1000 },
    'isup.forw_call_isdn_user_part_indicator': { label: 'ISDN user part indicator', type: 'bool', mask: 0x2000 },
    'isup.forw_call_preferences_indicator': { label: 'ISDN user part preference indicator', type: 'u16', mask: 0xc000 },
    'isup.forw_call_isdn_access_indicator': { label: 'ISDN access indicator', type: 'bool', mask: 0x0001 },
    'isup.forw_call_sccp_method_indicator': { label: 'SCCP method indicator', type: 'u16', mask: 0x0006 },
    'isup.calling_partys_category': { label: "Calling Party's category", type: 'u8', base: 'hex' },
    'isup.transmission_medium_requirement': { label: 'Transmission medium requirement', type: 'u8' },
    'isup.isdn_odd_even_indicator': { label: 'Odd/even indicator', type: 'bool', mask: 0x80, tfs: ['odd number of address signals', 'even number of address signals'] },
    'isup.called_party_nature_of_address_indicator': { label: 'Nature of address indicator', type: 'u8', mask: 0x7f, values: NATURE_OF_ADDRESS },
    'isup.calling_party_nature_of_address_indicator': { label: 'Nature of address indicator', type: 'u8', mask: 0x7f, values: NATURE_OF_ADDRESS },
    'isup.inn_indicator': { label: 'INN indicator', type: 'bool', mask: 0x80 },
    'isup.ni_indicator': { label: 'NI indicator', type: 'bool', mask: 0x80 },
    'isup.numbering_plan_indicator': { label: 'Numbering plan indicator', type: 'u8', mask: 0x70 },
    'isup.address_presentation_restricted_indicator': { label: 'Address presentation restricted indicator', type: 'u8', mask: 0x0c },
    'isup.screening_indicator': { label: 'Screening indicator', type: 'u8', mask: 0x03 },
    'isup.called': { label: 'Called Party Number', type: 'string' },
    'isup.calling': { label: 'Calling Party Number', type: 'string' },
    'isup.subsequent_number': { label: 'Subsequent Number', type: 'string' },
    'isup.charge_indicator': { label: 'Charge indicator', type: 'u16', mask: 0x0300 },
    'isup.called_partys_status_indicator': { label: "Called party's status indicator", type: 'u16', mask: 0x0c00 },
    'isup.called_partys_category_indicator': { label: "Called party's category indicator", type: 'u16', mask: 0x3000 },
    'isup.backw_call_end_to_end_method_indicator': { label: 'End-to-end method indicator', type: 'u16', mask: 0xc000 },
    'isup.backw_call_interworking_indicator': { label: 'Interworking indicator', type: 'bool', mask: 0x0001 },
    'isup.backw_call_end_to_end_information_indicator': { label: 'End-to-end information indicator', type: 'bool', mask: 0x0002 },
    'isup.backw_call_isdn_user_part_indicator': { label: 'ISDN user part indicator', type: 'bool', mask: 0x0004 },
    'isup.backw_call_holding_indicator': { label: 'Holding indicator', type: 'bool', mask: 0x0008 },
    'isup.backw_call_isdn_access_indicator': { label: 'ISDN access indicator', type: 'bool', mask: 0x0010 },
    'isup.backw_call_echo_control_device_indicator': { label: 'Echo Control Device Indicator', type: 'bool', mask: 0x0020 },
    'isup.cause_indicators': { label: 'Cause indicators (-> Q.850)', type: 'bytes' },
    'isup.cause_location': { label: 'Cause location', type: 'u8', mask: 0x0f },
    'isup.cause_indicator': { label: 'Cause indicator', type: 'u8', mask: 0x7f },
    'isup.range_indicator': { label: 'Range indicator', type: 'u8' },
    'isup.event_ind': { label: 'Event indicator', type: 'u8', mask: 0x7f },
  },
  dissect(c) {
    const cic = c.peek16(0, true) & 0x0fff;
    c.add('isup.cic', cic, c.pos, 2);
    c.skip(2);
    const type = c.u8('isup.message_type');
    const format = MESSAGES[type];
    const summary = `${format?.abbr ?? `Unknown message type ${type}`} (CIC ${cic}) `;
    c.provisional = summary;
    const info = { cic, type };
    if (format === undefined) {
      c.skip(c.remaining());
      return { summary, info };
    }
    for (const [code, len] of format.fixed) {
      c.add('isup.parameter_type', code, c.pos, 0);
      c.need(len, 'isup.parameter_value');
      readValue(c, code, len);
    }
    // Pointers, one per variable parameter (and one to the optional part), each relative to itself.
    const pointersAt = c.pos;
    const count = format.variable.length + (format.optional ? 1 : 0);
    c.need(count, 'isup.mandatory_variable_parameter_pointer');
    let end = pointersAt + count;
    for (let i = 0; i < format.variable.length; i++) {
      const ptrAt = pointersAt + i;
      c.seek(ptrAt);
      const ptr = c.u8('isup.mandatory_variable_parameter_pointer');
      const code = format.variable[i]!;
      const at = ptrAt + ptr;
      if (ptr === 0 || at >= c.repEnd) c.malformed(`ISUP pointer ${ptr} to ${PARAMETERS[code] ?? code} leads outside the message`, 'isup.mandatory_variable_parameter_pointer', ptrAt);
      c.seek(Math.min(at, c.capEnd));
      // Where the reader is: a parameter the capture cut off is placed at the cut, not past it.
      c.add('isup.parameter_type', code, c.pos, 0);
      const len = c.u8('isup.parameter_length');
      c.need(len, 'isup.parameter_value');
      readValue(c, code, len);
      end = Math.max(end, c.pos);
    }
    if (format.optional) {
      const ptrAt = pointersAt + format.variable.length;
      c.seek(ptrAt);
      const ptr = c.u8('isup.optional_parameter_part_pointer');
      if (ptr !== 0) {
        c.seek(Math.min(ptrAt + ptr, c.capEnd));
        if (ptrAt + ptr > c.capEnd) c.need(ptrAt + ptr - c.pos, 'isup.optional_parameter_part_pointer');
        for (let n = 0; ; n++) {
          if (n >= MAX_OPTIONAL) {
            c.expert('warning', `more than ${MAX_OPTIONAL} optional parameters; the rest is not dissected`, 'isup.parameter_type');
            break;
          }
          const code = c.u8('isup.parameter_type');
          if (code === 0) break;
          const len = c.u8('isup.parameter_length');
          c.need(len, 'isup.parameter_value');
          readValue(c, code, len);
        }
        end = Math.max(end, c.pos);
      }
    }
    // Bytes after the message (an FCS the link layer left on, padding) stay in this layer.
    c.seek(Math.max(end, c.pos));
    c.skip(c.remaining());
    return { summary, info };
  },
});
