import { defineBodyProtocol } from './media-body.js';

/** A JSON body (application/json and `+json` types); its members are not read yet. */
export const json = defineBodyProtocol({ id: 'json', name: 'JavaScript Object Notation', short: 'JSON', column: { name: 'HTTP/JSON', info: (http, type) => `${http} , JavaScript Object Notation (${type})` } });
