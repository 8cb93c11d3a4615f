export type { CaptureDamage, CaptureFormat, CaptureInterface, CaptureSection, Frame, FrameKind } from './frame.js';
export { CaptureError } from './errors.js';
export { openCapture, type CaptureReader, type OpenCaptureOptions } from './read-capture.js';
export { describeLinkType, type LinkTypeName } from './link-types.js';
export { SECRETS_TYPE, type DecryptionSecrets } from './secrets.js';
export type { PcapHeader } from './pcap.js';
export {
  PcapWriter,
  PcapngWriter,
  encodePcapHeader,
  encodePcapRecord,
  encodeSectionHeader,
  encodeInterfaceDescription,
  encodeEnhancedPacket,
  encodeSimplePacket,
  type PacketToWrite,
  type PcapFileOptions,
  type PcapngInterfaceOptions,
  type PcapngSectionOptions,
} from './write-capture.js';
