import { defineBodyProtocol } from './media-body.js';

/** A multipart body (multipart/form-data, multipart/mixed, ...); its parts are not read yet. */
export const mimeMultipart = defineBodyProtocol({ id: 'mime_multipart', name: 'MIME Multipart Media Encapsulation', short: 'MIME Multipart', column: { info: (http) => `${http} ` } });
