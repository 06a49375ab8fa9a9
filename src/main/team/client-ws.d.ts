// `ws` ships no types and @types/ws is not installed: the client passes the class to the provider
// as its WebSocketPolyfill (typed `any` there), so the shorthand declaration is all it needs.
declare module 'ws';
