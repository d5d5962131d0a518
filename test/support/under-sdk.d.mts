// Types of under-sdk.mjs.

/** 'true' when the calling handler runs under the MCP SDK, 'false' on cnmcp's fast path. */
export declare function underSdk(): string;
