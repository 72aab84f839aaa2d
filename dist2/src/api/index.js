/** drover's HTTP API client and the JSON shapes it speaks (Nomad's). */
export { ApiClient, ApiError, DEFAULT_ADDRESS } from './client.js';
export * from '../model/nomad-api/index.js';
//# sourceMappingURL=index.js.map