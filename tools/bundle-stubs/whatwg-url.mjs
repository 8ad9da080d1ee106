// Stands in for whatwg-url in the bundle (tools/bundle.mjs): node-fetch 2 reads `whatwgUrl.URL` only when node:url
// has no URL class, which never happens on Node 20. Its 400 KiB (tr46's Unicode tables) were compiled at every start.
export default { URL: globalThis.URL };
