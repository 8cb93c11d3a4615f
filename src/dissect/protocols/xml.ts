import { defineBodyProtocol } from './media-body.js';

/** An XML body (text/xml, application/xml and `+xml` types); its elements are not read yet. */
export const xml = defineBodyProtocol({ id: 'xml', name: 'eXtensible Markup Language', short: 'XML', column: { name: 'HTTP/XML', info: (http) => `${http} ` } });
